import { useValue } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'

/**
 * Shown until the board can open: connecting, or offline with no local copy yet (it opens by itself later). Inside
 * the board page's <main> (BoardPage.tsx), so a plain container.
 */
export function BoardWaiting() {
  const t = useT()
  const session = useBoardSessionContext()
  const status = useValue('connection status', () => session.$connection.get().status, [session])
  if (status === 'offline') {
    return (
      <div className="tavolo-page" data-testid="board-offline-no-copy">
        <div className="tavolo-card" role="status">
          <h1>{t('board.noLocalCopy.title')}</h1>
          <p>{t('board.noLocalCopy.body')}</p>
        </div>
      </div>
    )
  }
  return (
    <div className="tavolo-page" aria-busy="true">
      <p className="tavolo-loading" role="status">
        {t('board.waitingServer')}
      </p>
    </div>
  )
}
