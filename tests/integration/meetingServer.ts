/**
 * Test harness for the meetings integration tests: a real Tavolo server on port 0 (SQLite in a temp dir) wired like
 * main.ts wires it (through tests/helpers/meetingTestServer.ts), a REST helper, and real y-websocket providers in Node.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { MeetingStore } from '../../server/src/meetings/meetingStore.ts'
import type { TavoloServer } from '../../server/src/app.ts'
import type { Config } from '../../server/src/config.ts'
import type { DocStore } from '../../server/src/store/DocStore.ts'
import { startMeetingTestServer } from '../helpers/meetingTestServer.ts'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { RecordsKeyValue } from '../../shared/src/board/RecordsKeyValue.ts'
import type { CreateMeetingResponse, MeetingInput } from '../../shared/src/meetings/meetingSchemas.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { TEST_STAFF_TOKEN } from '../helpers/staffToken.ts'

export interface MeetingServerOptions {
  /** The staff token; default TEST_STAFF_TOKEN. */
  adminToken?: string
  publicUrl?: string | null
  dataDir?: string
  /** Config overrides, e.g. `authFailureLimit` for a table of credentials that presents many wrong ones on purpose. */
  config?: Partial<Config>
}

export interface MeetingServer {
  baseUrl: string
  wsUrl: string
  dataDir: string
  config: Config
  server: TavoloServer
  meetingStore: MeetingStore
  docStore: DocStore
  /** Stops the server and closes the database, keeping the data dir. */
  stop(): Promise<void>
  /** stop() and remove the data dir. */
  close(): Promise<void>
}

/** A meetings server wired like `npm start` (tests/helpers/meetingTestServer.ts), in the shape these tests use. */
export async function startMeetingServer(options: MeetingServerOptions = {}): Promise<MeetingServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tavolo-meetings-it-'))
  const started = await startMeetingTestServer({
    adminToken: options.adminToken ?? TEST_STAFF_TOKEN,
    publicUrl: options.publicUrl ?? null,
    // A data dir we pass is never removed by the harness: restart tests reuse it, close() below removes it.
    dataDir,
    config: { roomGraceMs: 60_000, ...options.config },
  })
  return {
    baseUrl: started.httpUrl,
    wsUrl: started.wsUrl,
    dataDir,
    config: started.config,
    server: started.server,
    meetingStore: started.meetings.store,
    docStore: started.docStore,
    stop: () => started.close(),
    async close() {
      await started.close()
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface ApiResult {
  status: number
  headers: Headers
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code inspects arbitrary JSON answers
  body: any
}

/** One REST call. `body` is sent as JSON; `rawBody` as is (with `contentType`, default application/json). */
export async function api(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; rawBody?: string; contentType?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = {}
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`
  let body: string | undefined
  if (opts.rawBody !== undefined) body = opts.rawBody
  else if (opts.body !== undefined) body = JSON.stringify(opts.body)
  if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json'
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed }
}

/** Creates a meeting (with the staff token, default TEST_STAFF_TOKEN) and returns the 201 answer. */
export async function createMeeting(baseUrl: string, input: MeetingInput, token: string = TEST_STAFF_TOKEN): Promise<CreateMeetingResponse> {
  const res = await api(baseUrl, 'POST', '/api/meetings', { body: input, token })
  if (res.status !== 201) throw new Error(`creating a meeting failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body as CreateMeetingResponse
}

export type Rec = Record<string, unknown>

export interface BoardClient {
  provider: WebsocketProvider
  doc: Y.Doc
  /** The board's records, read like the browser reads them (forgiving: shared/src/board/RecordsKeyValue.ts). */
  records: RecordsKeyValue
  /** Close events the server sent, in order. */
  closes: Array<{ code: number; reason: string }>
  /** Resolves after the first sync with the server. */
  synced: Promise<void>
  destroy(): void
}

/** A real y-websocket provider (with `ws`) on `/sync/<boardId>?k=<key>`, and a forgiving key-value view of the board's records. */
export function connectBoard(wsUrl: string, boardId: string, key: string | null): BoardClient {
  const doc = new Y.Doc()
  const records = new RecordsKeyValue(doc.getArray(RECORDS_ARRAY))
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: key === null ? {} : { k: key },
    disableBc: true,
    maxBackoffTime: 200,
  })
  const closes: BoardClient['closes'] = []
  provider.on('connection-close', (event: CloseEvent | null) => {
    if (event !== null) closes.push({ code: event.code, reason: event.reason })
  })
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve()
    else provider.once('sync', () => resolve())
  })
  return {
    provider,
    doc,
    records,
    closes,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** Waits until the client was closed by the server with `code`, and checks it stopped trying. */
export async function waitForClose(client: BoardClient, code: number): Promise<{ code: number; reason: string }> {
  const close = await waitFor(() => client.closes.find((c) => c.code === code), 5000, `close ${code}; saw ${JSON.stringify(client.closes)}`)
  return close
}

/** What a meetings test file starts and connects through: everything is closed after each test, clients first. */
export interface MeetingTestResources {
  start(options?: MeetingServerOptions): Promise<MeetingServer>
  connect(wsUrl: string, boardId: string, key: string | null): BoardClient
  /** Destroys the clients connected so far (a restart test must drop every old provider, or it resends its state). */
  destroyClients(): void
}

/** For a test file: servers and board clients made through the returned functions are closed after each test. */
export function meetingServersClosedAfterEach(): MeetingTestResources {
  const servers: MeetingServer[] = []
  const clients: BoardClient[] = []
  const destroyClients = () => {
    for (const client of clients.splice(0)) client.destroy()
  }
  afterEach(async () => {
    destroyClients()
    await Promise.all(servers.splice(0).map((server) => server.close()))
  })
  return {
    async start(options) {
      const server = await startMeetingServer(options)
      servers.push(server)
      return server
    },
    connect(wsUrl, boardId, key) {
      const client = connectBoard(wsUrl, boardId, key)
      clients.push(client)
      return client
    },
    destroyClients,
  }
}
