import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'

/** A failed call in plain words, with the server's own message (it names the field) when there is one. */
export function FailureMessage({ failure }: { failure: ApiFailure }) {
  const t = useT()
  return (
    <div className="tavolo-error-box" role="alert" data-testid="api-failure">
      <p>
        {failure.kind === 'network'
          ? t('api.network')
          : failure.kind === 'unexpected'
            ? t('api.unexpected', { status: failure.status })
            : failure.status === 401
              ? t('api.tokenWrong')
              : failure.status === 429
                ? t('staff.throttled', { seconds: failure.retryAfter ?? 60 })
                : failure.status >= 500
                ? t('api.server')
                : t('api.refused')}
      </p>
      {failure.kind === 'api' && (
        <p className="tavolo-server-message">
          {t('api.serverSaid')} <q lang="en">{failure.message}</q>
        </p>
      )}
    </div>
  )
}
