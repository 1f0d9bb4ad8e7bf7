import { useValue } from 'tldraw'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { AppLink } from '../app/AppLink.tsx'
import type { MessageKey } from '../i18n/it.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'

export interface CloseMessage {
  title: MessageKey
  body: MessageKey
  action: MessageKey
}

/**
 * Texts for a close after which we stopped reconnecting (shared/src/closeCodes.ts TERMINAL_CLOSE_CODES), and for the
 * same refusals met before the board opens: each case says what happened and who can fix it. `hasKey`: the link
 * carried a key (`#k=`); a 4401 without one is a link copied in part, not a replaced key.
 */
export function closeMessageKeys(code: number, { hasKey }: { hasKey: boolean }): CloseMessage {
  switch (code) {
    case CloseCode.UNAUTHORIZED:
      return hasKey
        ? { title: 'refused.badKey.title', body: 'refused.badKey.body', action: 'refused.askFacilitator' }
        : { title: 'refused.noKey.title', body: 'refused.noKey.body', action: 'refused.noKey.action' }
    case CloseCode.FORBIDDEN:
      return { title: 'closed.title', body: 'closed.4403.body', action: 'closed.4403.action' }
    case CloseCode.NOT_FOUND:
      return { title: 'refused.noMeeting.title', body: 'refused.noMeeting.body', action: 'refused.askFacilitator' }
    case CloseCode.TOO_LARGE:
      return { title: 'closed.title', body: 'closed.4413.body', action: 'closed.4413.action' }
    case CloseCode.MEETING_DELETED:
      return { title: 'closed.title', body: 'closed.4410.body', action: 'closed.4410.action' }
    default:
      return { title: 'closed.title', body: 'closed.other.body', action: 'closed.other.action' }
  }
}

/**
 * A blocking notice in plain words: what happened, what to do, and a way out. The socket is already closed for good.
 * It says edits stay on this device only when some were made here and never reached the server.
 */
export function TerminalCloseNotice({ code, hasKey }: { code: number; hasKey: boolean }) {
  const t = useT()
  const session = useBoardSessionContext()
  const unsent = useValue('unsent changes', () => session.$connection.get().unsent, [session])
  const keys = closeMessageKeys(code, { hasKey })
  return (
    <div className="tavolo-overlay">
      <div className="tavolo-card tavolo-dialog" role="alertdialog" aria-modal="true" aria-labelledby="tavolo-closed-title" data-testid="terminal-close" data-code={code}>
        <h2 id="tavolo-closed-title">{t(keys.title)}</h2>
        <p>{t(keys.body, { code })}</p>
        <p>
          <strong>{t(keys.action)}</strong>
        </p>
        {code === CloseCode.MEETING_DELETED ? (
          // After 4410 the session erased this device's copy too (boardSession.ts): nothing of it is kept here.
          <p className="tavolo-hint">{t('closed.4410.localCopy')}</p>
        ) : (
          unsent > 0 && (
            <p className="tavolo-hint" data-testid="closed-unsent">
              {t(pluralKey('refused.unsent', unsent), { count: unsent })}
            </p>
          )
        )}
        <p>
          <AppLink className="tavolo-button tavolo-button-secondary" to="/">
            {t('nav.backHome')}
          </AppLink>
        </p>
      </div>
    </div>
  )
}
