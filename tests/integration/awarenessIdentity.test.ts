/** R7 end to end: real y-websocket clients with keys of different roles. */
import { afterEach, describe, expect, it } from 'vitest'
import { unauthorized, type AccessPolicy } from '../../server/src/access/accessPolicy.ts'
import { connectClient, destroyClients, startTestServer, type TestServer } from '../helpers/testServer.ts'
import { waitFor } from '../helpers/waitFor.ts'

// Keys name their role here; the meetings policy does the same with random keys.
const rolePolicy: AccessPolicy = (_boardId, request) => {
  const k = request.url.searchParams.get('k')
  if (k === 'facilitator' || k === 'participant' || k === 'viewer') return { ok: true, role: k, credential: `${k}:v1` }
  return unauthorized('missing or wrong key')
}

let server: TestServer | null = null
afterEach(async () => {
  destroyClients()
  await server?.close()
  server = null
})

interface UserState {
  user?: { name?: string; role?: string }
}

describe('awareness identity (R7)', () => {
  it('others see the role of the key, not the role a client claims', async () => {
    server = await startTestServer({ accessPolicy: rolePolicy })
    const observer = connectClient(server.wsUrl, 'board-r7', { params: { k: 'facilitator' } })
    const liar = connectClient(server.wsUrl, 'board-r7', { params: { k: 'participant' } })
    await Promise.all([observer.whenSynced(), liar.whenSynced()])
    liar.provider.awareness.setLocalStateField('user', { name: 'Mallory', role: 'facilitator' })
    const seen = await waitFor(() => {
      const state = observer.provider.awareness.getStates().get(liar.doc.clientID) as UserState | undefined
      return state?.user?.name === 'Mallory' ? state : undefined
    })
    expect(seen.user?.role).toBe('participant')
  })

  it("a participant cannot overwrite or remove a facilitator's presence", async () => {
    server = await startTestServer({ accessPolicy: rolePolicy })
    const facilitator = connectClient(server.wsUrl, 'board-r7b', { params: { k: 'facilitator' } })
    const observer = connectClient(server.wsUrl, 'board-r7b', { params: { k: 'participant' } })
    await Promise.all([facilitator.whenSynced(), observer.whenSynced()])
    facilitator.provider.awareness.setLocalStateField('user', { name: 'Fabia', role: 'facilitator' })
    const facilitatorId = facilitator.doc.clientID
    const nameSeen = () => (observer.provider.awareness.getStates().get(facilitatorId) as UserState | undefined)?.user?.name
    await waitFor(() => nameSeen() === 'Fabia')

    // The attacker reuses the facilitator's awareness client id with a newer clock.
    const attacker = connectClient(server.wsUrl, 'board-r7b', { params: { k: 'participant' } })
    await attacker.whenSynced()
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness')
    const forged = new Awareness(attacker.doc)
    forged.clientID = facilitatorId
    forged.setLocalState({ user: { name: 'Forged', role: 'facilitator' } })
    for (let i = 0; i < 5; i++) forged.setLocalState({ user: { name: 'Forged', role: 'facilitator' } })
    const { createEncoder, writeVarUint, writeVarUint8Array, toUint8Array } = await import('lib0/encoding')
    const encoder = createEncoder()
    writeVarUint(encoder, 1) // awareness message
    writeVarUint8Array(encoder, encodeAwarenessUpdate(forged, [facilitatorId]))
    attacker.provider.ws?.send(toUint8Array(encoder))
    forged.destroy()

    // A marker sent after the forgery by the attacker's own client id shows the server handled the forgery first.
    attacker.provider.awareness.setLocalStateField('user', { name: 'marker', role: 'participant' })
    await waitFor(
      () => (observer.provider.awareness.getStates().get(attacker.doc.clientID) as UserState | undefined)?.user?.name === 'marker',
    )
    expect(nameSeen()).toBe('Fabia')
  })
})
