import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { ServerConfigGate } from '../config/ServerConfigGate.tsx'
import { BoardPage } from './BoardPage.tsx'

/** `/board/<boardId>#k=<key>`: config first, then the live board. */
export function BoardRoute({
  boardId,
  accessKey,
  role = 'participant',
}: {
  boardId: BoardId
  accessKey: string | null
  role?: Role
}) {
  return (
    <ServerConfigGate>
      <BoardPage boardId={boardId} accessKey={accessKey} role={role} />
    </ServerConfigGate>
  )
}
