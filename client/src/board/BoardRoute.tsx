import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { ServerConfigGate } from '../config/ServerConfigGate.tsx'
import { BoardPage } from './BoardPage.tsx'
import type { BoardExtras } from './boardExtras.ts'

/** `/board/<boardId>#k=<key>`: config first, then the live board. */
export function BoardRoute({
  boardId,
  accessKey,
  role = 'participant',
  extras,
}: {
  boardId: BoardId
  accessKey: string | null
  role?: Role
  /** What a page built on the board adds (meetings, projector): see boardExtras.ts. */
  extras?: BoardExtras
}) {
  return (
    <ServerConfigGate>
      <BoardPage boardId={boardId} accessKey={accessKey} role={role} extras={extras} />
    </ServerConfigGate>
  )
}
