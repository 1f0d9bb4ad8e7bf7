import type { BoardId } from '../../../shared/src/boardId.ts'
import { AppLink } from '../app/AppLink.tsx'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { versionsPath } from '../app/routes.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'

/** While a version page loads its data: one line, marked busy. */
export function VersionPageLoading({ messageKey }: { messageKey: MessageKey }) {
  const t = useT()
  return (
    <main className="tavolo-page" aria-busy="true">
      <p className="tavolo-loading">{t(messageKey)}</p>
    </main>
  )
}

/** A version page that could not load: what went wrong (an unknown version in plain words) and the way back. */
export function VersionPageFailure({ failure, boardId, accessKey }: { failure: ApiFailure; boardId: BoardId; accessKey: string }) {
  const t = useT()
  return (
    <main className="tavolo-page">
      <div className="tavolo-card">
        {failure.kind === 'api' && failure.status === 404 ? <p>{t('versions.page.notFound')}</p> : <FailureMessage failure={failure} />}
        <p>
          <AppLink className="tavolo-button" to={versionsPath(boardId, accessKey, { kind: 'list' })}>
            {t('versions.page.backToList')}
          </AppLink>
        </p>
      </div>
    </main>
  )
}
