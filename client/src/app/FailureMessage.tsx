import type { ApiErrorCode } from '../../../shared/src/meetings/apiError.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'

/** What a refusal means, in the person's language, by the server's error code (its message is English). */
const CODE_TEXT: Partial<Record<ApiErrorCode, MessageKey>> = {
  invalid_json: 'api.code.invalid_json',
  invalid_body: 'api.code.invalid_body',
  invalid_role: 'api.code.invalid_body',
  invalid_query: 'api.code.invalid_parameter',
  invalid_parameter: 'api.code.invalid_parameter',
  invalid_version: 'api.code.invalid_version',
  unsupported_schema: 'api.code.unsupported_schema',
  forbidden: 'api.code.forbidden',
  not_found: 'api.code.not_found',
  conflict: 'api.code.conflict',
  payload_too_large: 'api.code.payload_too_large',
  unsupported_media_type: 'api.code.unsupported_media_type',
  misdirected_request: 'api.code.misdirected_request',
}

/**
 * A failed call in plain words, in the person's language (by the error's code); the server's own message (English,
 * it names the field) and its details folded under "Dettagli tecnici", for whoever helps them.
 */
export function FailureMessage({ failure }: { failure: ApiFailure }) {
  const t = useT()
  const byCode = failure.kind === 'api' ? CODE_TEXT[failure.code] : undefined
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
                  : byCode !== undefined
                    ? t(byCode)
                    : t('api.refused')}
      </p>
      {failure.kind === 'api' && (
        <details className="tavolo-server-message" data-testid="api-failure-details">
          <summary>{t('api.technicalDetails')}</summary>
          <p>
            <code>
              {failure.status} {failure.code}
            </code>{' '}
            <q lang="en">{failure.message}</q>
          </p>
          {failure.details.length > 0 && (
            <ul lang="en">
              {failure.details.slice(0, 20).map((d, i) => (
                <li key={i}>
                  <code>{d.path}</code>: {d.message}
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </div>
  )
}
