import type { IncomingHttpHeaders } from 'node:http'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { CloseCode } from '../../../shared/src/closeCodes.ts'

/** What the access policy sees of a WebSocket upgrade request. */
export interface AccessRequest {
  url: URL
  headers: IncomingHttpHeaders
}

/** Either the role granted to the connection, or a refusal carrying the close code and reason to send. */
export type AccessDecision =
  | { ok: true; role: Role; /** identifies the credential used, so it can be revoked later */ credential: string }
  | { ok: false; closeCode: number; reason: string }

/** The single place that decides who may open a board: called once per WebSocket upgrade. */
export type AccessPolicy = (boardId: BoardId, request: AccessRequest) => AccessDecision | Promise<AccessDecision>

/** Grants edit rights on every board: the policy of a server without meetings (sync-server issue, tests). */
export const openAccessPolicy: AccessPolicy = () => ({ ok: true, role: 'participant', credential: 'open' })

/** A refusal for a request without a usable key. */
export function unauthorized(reason: string): AccessDecision {
  return { ok: false, closeCode: CloseCode.UNAUTHORIZED, reason }
}
