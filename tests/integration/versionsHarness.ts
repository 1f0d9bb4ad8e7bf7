/**
 * Helpers of the versions integration tests: valid tldraw boards written through a real y-websocket client, and REST
 * shortcuts for versions. The server is the meetings server wired as main.ts wires it (tests/integration/meetingServer.ts).
 */
import { META_MAP, SCHEMA_KEY } from '../../shared/src/boardDocument.ts'
import type { CreateMeetingResponse } from '../../shared/src/meetings/meetingSchemas.ts'
import type { BoardRecord } from '../../shared/src/versions/versionSchemas.ts'
import { serverSerializedSchema } from '../../server/src/board/tldrawSchema.ts'
import { noteRecord } from '../helpers/fixtures.ts'
import { waitFor } from '../helpers/waitFor.ts'
import { api, connectBoard, createMeeting, type BoardClient } from './meetingServer.ts'

export const PAGE: BoardRecord = { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }
export const DOCUMENT: BoardRecord = { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }

/** A valid tldraw note on the first page, as plain JSON. */
export function note(id: string, text: string, x = 0, y = 0): BoardRecord {
  return structuredClone(noteRecord(id, text, x, y)) as unknown as BoardRecord
}

/** Writes records (and the schema, as a browser does) in one transaction of the client's doc. */
export function writeRecords(client: BoardClient, records: BoardRecord[]): void {
  client.doc.transact(() => {
    for (const record of records) client.records.set(record.id, record as Record<string, unknown>)
    client.doc.getMap(META_MAP).set(SCHEMA_KEY, serverSerializedSchema())
  })
}

/** A board with a page, the document record and `n` notes "idea i". */
export function boardOf(n: number): BoardRecord[] {
  return [DOCUMENT, PAGE, ...Array.from({ length: n }, (_, i) => note(`n${i}`, `idea ${i}`, i * 220, 0))]
}

/** Text of a note as a client sees it. */
export function textOf(client: BoardClient, id: string): string | undefined {
  const record = client.records.get(id) as { props?: { richText?: { content?: Array<{ content?: Array<{ text?: string }> }> } } } | undefined
  return record?.props?.richText?.content?.[0]?.content?.[0]?.text
}

/** The live board's records as the server has them (through the live export). */
export async function liveRecords(baseUrl: string, m: CreateMeetingResponse): Promise<BoardRecord[]> {
  const res = await api(baseUrl, 'GET', `/api/meetings/${m.meeting.id}/export`, { token: m.keys.facilitator })
  if (res.status !== 200) throw new Error(`live export failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.records as BoardRecord[]
}

/** Waits until the server's live board satisfies `predicate` (e.g. it received a client's edits). */
export async function waitForLive(baseUrl: string, m: CreateMeetingResponse, predicate: (records: BoardRecord[]) => boolean) {
  return waitFor(async () => {
    const records = await liveRecords(baseUrl, m)
    return predicate(records) ? records : null
  }, 5000, 'the live board did not reach the expected state')
}

export const textIn = (records: BoardRecord[], id: string): string | undefined =>
  (records.find((r) => r.id === id) as { props?: { richText?: { content?: Array<{ content?: Array<{ text?: string }> }> } } } | undefined)
    ?.props?.richText?.content?.[0]?.content?.[0]?.text

export async function saveVersion(baseUrl: string, m: CreateMeetingResponse, label: string, token = m.keys.facilitator) {
  return api(baseUrl, 'POST', `/api/meetings/${m.meeting.id}/versions`, { token, body: { label } })
}

export async function listVersions(baseUrl: string, m: CreateMeetingResponse, token = m.keys.facilitator) {
  return api(baseUrl, 'GET', `/api/meetings/${m.meeting.id}/versions`, { token })
}

/** A new meeting whose board holds `records` (the seed board, for the facilitation tests), written by its facilitator. */
export async function meetingWithBoard(baseUrl: string, wsUrl: string, title: string, records: BoardRecord[]): Promise<CreateMeetingResponse> {
  const m = await createMeeting(baseUrl, { title })
  const writer = connectBoard(wsUrl, m.meeting.id, m.keys.facilitator)
  await writer.synced
  writeRecords(writer, records)
  await waitFor(async () => (await liveRecords(baseUrl, m)).length >= records.length, 10_000, 'the board on the server')
  writer.destroy()
  return m
}
