import { CloseCode } from '../../../shared/src/closeCodes.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'

/** Texts for a close after which we stopped reconnecting (shared/src/closeCodes.ts TERMINAL_CLOSE_CODES). */
export function closeMessageKeys(code: number): { body: MessageKey; action: MessageKey } {
  switch (code) {
    case CloseCode.UNAUTHORIZED:
      return { body: 'closed.4401.body', action: 'closed.4401.action' }
    case CloseCode.FORBIDDEN:
      return { body: 'closed.4403.body', action: 'closed.4403.action' }
    case CloseCode.NOT_FOUND:
      return { body: 'closed.4404.body', action: 'closed.4404.action' }
    case CloseCode.MEETING_DELETED:
      return { body: 'closed.4410.body', action: 'closed.4410.action' }
    default:
      return { body: 'closed.other.body', action: 'closed.other.action' }
  }
}

/** A blocking notice in plain words: what happened and what to do. The socket is already closed for good. */
export function TerminalCloseNotice({ code }: { code: number }) {
  const t = useT()
  const keys = closeMessageKeys(code)
  return (
    <div className="tavolo-overlay">
      <div className="tavolo-card tavolo-dialog" role="alertdialog" aria-modal="true" data-testid="terminal-close" data-code={code}>
        <h2>{t('closed.title')}</h2>
        <p>{t(keys.body, { code })}</p>
        <p>
          <strong>{t(keys.action)}</strong>
        </p>
        {/* After 4410 the session erased this device's copy too (boardSession.ts): nothing of it is kept here. */}
        <p className="tavolo-hint">{t(code === CloseCode.MEETING_DELETED ? 'closed.4410.localCopy' : 'closed.localCopy')}</p>
      </div>
    </div>
  )
}
