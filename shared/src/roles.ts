/** What a connection or request may do on a meeting board. */
export type Role = 'facilitator' | 'participant' | 'viewer'

export const ROLES: readonly Role[] = ['facilitator', 'participant', 'viewer']

/** True when the role may change the board document. */
export function canEditBoard(role: Role): boolean {
  return role !== 'viewer'
}

/** True when the role may manage the meeting (keys, details, versions, leading the session). */
export function canManageMeeting(role: Role): boolean {
  return role === 'facilitator'
}
