/**
 * Board SPEC S9 with sync R7 on (the awareness-id reservation at its default): the browser's board connection
 * (client/src/board/boardConnection.ts, run here in Node) is seen again by the others at once after a reconnect,
 * not only when y-protocols renews its state 15-18 s later. This is what the projector needs to keep following a
 * facilitator after a network blip.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { WebSocket } from 'ws'
import { unauthorized, type AccessPolicy } from '../../server/src/access/accessPolicy.ts'
import { openBoardConnection, type BoardConnection } from '../../client/src/board/boardConnection.ts'
import { parseBoardId } from '../../shared/src/boardId.ts'
import { connectClient, destroyClients, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

const rolePolicy: AccessPolicy = (_boardId, request) => {
  const k = request.url.searchParams.get('k')
  if (k === 'facilitator' || k === 'viewer') return { ok: true, role: k, credential: `${k}:v1` }
  return unauthorized('missing or wrong key')
}

let server: TestServer | null = null
let facilitator: BoardConnection | null = null
afterEach(async () => {
  facilitator?.dispose()
  facilitator = null
  destroyClients()
  await server?.close()
  server = null
  vi.unstubAllGlobals()
})

/** Well under y-protocols' own renewal (15 s after the last change, checked every 3 s): only S9 can pass it. */
const SEEN_AGAIN_WITHIN_MS = 3000

async function presentingFacilitator(boardId: string) {
  vi.stubGlobal('WebSocket', WebSocket)
  server = await startTestServer({ accessPolicy: rolePolicy })
  facilitator = openBoardConnection({ boardId: parseBoardId(boardId)!, accessKey: 'facilitator', syncUrl: server.wsUrl, useIndexedDb: false })
  const projector = connectClient(server.wsUrl, boardId, { params: { k: 'viewer' } })
  await projector.whenSynced()
  await waitFor(() => facilitator!.everSynced())
  facilitator.provider.awareness.setLocalState({ user: { name: 'Fede', role: 'facilitator' }, presenting: true })
  const facilitatorId = facilitator.doc.clientID
  const projectorSees = () => projector.provider.awareness.getStates().has(facilitatorId)
  await waitFor(projectorSees)
  return { facilitator, projector, projectorSees }
}

describe('presence after a reconnect (board S9)', () => {
  it('the socket closes, the server drops the presence, the client comes back: the projector sees it again at once', async () => {
    const { facilitator, projectorSees } = await presentingFacilitator('board-s9a')
    facilitator.provider.disconnect() // what the browser's 'offline' event does (S4)
    await waitFor(() => !projectorSees(), 5000, 'the server did not drop the presence of the closed socket')
    facilitator.provider.connect()
    await waitFor(projectorSees, SEEN_AGAIN_WITHIN_MS, 'the facilitator stayed invisible after reconnecting')
    expect(projectorSees()).toBe(true)
  })

  it('the socket drops and y-websocket reconnects by itself: the projector sees the facilitator again at once', async () => {
    const { facilitator, projector, projectorSees } = await presentingFacilitator('board-s9b')
    const dropped = facilitator.provider.ws
    dropped?.close()
    await waitFor(() => facilitator.provider.wsconnected && facilitator.provider.ws !== dropped, 5000, 'no reconnect')
    await waitFor(projectorSees, SEEN_AGAIN_WITHIN_MS, 'the facilitator stayed invisible after reconnecting')
    // The old socket's close may reach the server after the new socket's first message: the presence must survive it.
    // Once the server has let the old socket go (two connections left: the new one and the projector), a removal it
    // caused would reach the projector before anything the facilitator sends next (one ordered socket).
    const removals: number[] = []
    projector.provider.awareness.on('change', ({ removed }: { removed: number[] }) => removals.push(...removed))
    await waitFor(() => server!.server.rooms.stats().connections === 2, 5000, 'the old socket is still open at the server')
    facilitator.provider.awareness.setLocalStateField('slide', 2)
    const seenSlide = () => (projector.provider.awareness.getStates().get(facilitator.doc.clientID) as { slide?: number } | undefined)?.slide
    await waitFor(() => seenSlide() === 2, 3000, 'the next presence change did not arrive')
    expect(removals).not.toContain(facilitator.doc.clientID)
    expect(projectorSees()).toBe(true)
  })
})
