import { useValue } from 'tldraw'
import { CloseCode } from '../../../shared/src/closeCodes.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'
import type { ConnectionStatus as Status } from './connectionTracker.ts'
import { assertNever } from '../app/routes.ts'

function labelKey(status: Status) {
  switch (status) {
    case 'connecting':
      return 'connection.connecting' as const
    case 'connected':
      return 'connection.connected' as const
    case 'reconnecting':
      return 'connection.reconnecting' as const
    case 'offline':
      return 'connection.offline' as const
    case 'closed':
      return 'connection.refused' as const
    default:
      return assertNever(status)
  }
}

/** Always-visible connection state, plus the count of changes kept on this device while not connected. */
export function ConnectionStatus() {
  const t = useT()
  const session = useBoardSessionContext()
  const { status, unsent, closeCode } = useValue('connection', () => session.$connection.get(), [session])
  const label = status === 'closed' && closeCode === CloseCode.MEETING_DELETED ? 'connection.deleted' : labelKey(status)
  return (
    <div className={`tavolo-chip tavolo-connection tavolo-connection-${status}`} role="status" data-testid="connection-status" data-status={status} data-unsent={unsent}>
      <span className="tavolo-dot" aria-hidden="true" />
      <span>{t(label)}</span>
      {unsent > 0 && status !== 'connected' && (
        <span className="tavolo-unsent" data-testid="unsent">
          {t(pluralKey('connection.unsent', unsent), { count: unsent })}
        </span>
      )}
    </div>
  )
}
