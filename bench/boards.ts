import type { ServerHandle } from './serverProcess.ts'

/** Where a client connects: the provider's room name and its URL parameters (the access key on our server). */
export interface BoardRef {
  room: string
  params: Record<string, string>
}

interface CreatedMeeting {
  meeting: { id: string }
  keys: { participant: string }
}

function isCreatedMeeting(value: unknown): value is CreatedMeeting {
  const v = value as Partial<CreatedMeeting> | null
  return typeof v?.meeting?.id === 'string' && typeof v.keys?.participant === 'string'
}

/**
 * A board the bench may write to. Our server admits only meeting boards with a key, so it gets a meeting created
 * through the staff API (participant key: the role that edits); a server without meetings and the reference take
 * any room name.
 */
export async function openBoard(server: ServerHandle, label: string): Promise<BoardRef> {
  if (server.kind === 'reference') return { room: label, params: {} }
  const response = await fetch(`${server.httpUrl}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.adminToken}` },
    body: JSON.stringify({ title: `bench ${label}` }),
  })
  if (response.status === 404) return { room: label, params: {} }
  const body: unknown = await response.json()
  if (response.status !== 201 || !isCreatedMeeting(body)) {
    throw new Error(`creating a meeting for ${label} failed: ${response.status} ${JSON.stringify(body)}`)
  }
  return { room: body.meeting.id, params: { k: body.keys.participant } }
}

/** The WebSocket URL a provider builds for this board, for clients that speak the protocol without a provider. */
export function boardUrl(syncUrl: string, board: BoardRef): string {
  const query = new URLSearchParams(board.params).toString()
  return `${syncUrl}/${board.room}${query === '' ? '' : `?${query}`}`
}
