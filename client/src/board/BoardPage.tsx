import { useCallback, useMemo, useState } from 'react'
import { useValue } from 'tldraw'
import type { BoardId } from '../../../shared/src/boardId.ts'
import { UNNAMED_PRESENCE_NAME } from '../../../shared/src/presence/attendees.ts'
import { canEditBoard, type Role } from '../../../shared/src/roles.ts'
import { usePreferences, usePreferencesStore } from '../identity/PreferencesContext.tsx'
import { tldrawUser } from '../identity/tldrawIdentity.ts'
import { useT } from '../i18n/useT.ts'
import { BoardEditor } from './BoardEditor.tsx'
import type { BoardExtras } from './boardExtras.ts'
import { BoardSessionContext, NameDialogContext, useBoardSessionContext } from './BoardSessionContext.tsx'
import { BoardWaiting } from './BoardWaiting.tsx'
import { NameDialog } from './NameDialog.tsx'
import { TerminalCloseNotice } from './TerminalCloseNotice.tsx'
import { useBoardSession } from './useBoardSession.ts'

/** The live board page: opens the session, then shows the editor, the name dialog and any blocking notice. */
export function BoardPage({
  boardId,
  accessKey,
  role,
  extras,
}: {
  boardId: BoardId
  accessKey: string | null
  role: Role
  extras?: BoardExtras
}) {
  const t = useT()
  const preferences = usePreferencesStore()
  const deviceUserId = extras?.deviceUserId
  const $user = useMemo(() => tldrawUser(preferences, () => UNNAMED_PRESENCE_NAME, deviceUserId), [preferences, deviceUserId])
  const session = useBoardSession({ boardId, accessKey, role, firstPageName: t('board.firstPage'), $user })
  if (!session) return <BoardWaitingShell />
  return (
    <BoardSessionContext.Provider value={session}>
      <BoardView extras={extras} hasKey={accessKey !== null} />
    </BoardSessionContext.Provider>
  )
}

function BoardWaitingShell() {
  const t = useT()
  return (
    <main className="tavolo-page" aria-busy="true">
      <p className="tavolo-loading">{t('board.opening')}</p>
    </main>
  )
}

function BoardView({ extras, hasKey }: { extras: BoardExtras | undefined; hasKey: boolean }) {
  const session = useBoardSessionContext()
  const { name } = usePreferences()
  const ready = useValue('board ready', () => session.$ready.get(), [session])
  const closed = useValue('connection closed', () => session.$connection.get().closeCode, [session])
  const [nameDialogOpen, setNameDialogOpen] = useState(false)
  const open = useCallback(() => setNameDialogOpen(true), [])
  const nameDialog = useMemo(() => ({ open }), [open])
  const mustAskName = name === null && canEditBoard(session.role)

  return (
    <NameDialogContext.Provider value={nameDialog}>
      {/* The page's main landmark: the board (tldraw's own role="application" container) and what covers it. */}
      <main className="tavolo-board" data-testid="board">
        {ready ? <BoardEditor extras={extras} /> : <BoardWaiting />}
        {closed !== null ? (
          <TerminalCloseNotice code={closed} hasKey={hasKey} />
        ) : (
          (mustAskName || nameDialogOpen) && <NameDialog onDone={() => setNameDialogOpen(false)} />
        )}
      </main>
    </NameDialogContext.Provider>
  )
}
