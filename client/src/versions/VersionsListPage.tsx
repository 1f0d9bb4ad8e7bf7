import { useState } from 'react'
import { AppLink } from '../app/AppLink.tsx'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { boardPath } from '../app/routes.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { downloadBlob, exportFileName } from './boardExport.ts'
import { useVersionList } from './useVersionList.ts'
import { VersionList } from './VersionList.tsx'
import type { VersionsPageContext } from './VersionsRoute.tsx'
import { fetchExportFile } from './versionsApi.ts'
import './versions.css'

/** `/board/<id>/versions#k=…`: every version of the meeting, for staff (reached from the list of meetings). */
export function VersionsListPage({ boardId, accessKey, detail }: VersionsPageContext) {
  const t = useT()
  const { state, reload } = useVersionList(boardId, accessKey)
  const [failure, setFailure] = useState<ApiFailure | null>(null)
  const fileBase = detail.meeting.reference ?? detail.meeting.title

  async function downloadLive() {
    const result = await fetchExportFile(boardId, accessKey, 'live')
    if (result.ok) downloadBlob(result.value, exportFileName(fileBase, 'lavagna', 'json'))
    else setFailure(result.failure)
  }

  return (
    <main className="tavolo-page tavolo-page-top">
      <div className="tavolo-card tavolo-card-list" data-testid="versions-page">
        <h1>{t('versions.page.title', { title: detail.meeting.title })}</h1>
        <p className="tavolo-hint">{t('versions.intro')}</p>
        <p className="tavolo-versions-page-links">
          <AppLink className="tavolo-button" to={boardPath(boardId, accessKey)} data-testid="versions-back-to-board">
            {t('versions.page.backToBoard')}
          </AppLink>
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => void downloadLive()} data-testid="versions-live-json">
            {t('versions.export.json')}
          </button>
        </p>
        {failure && <FailureMessage failure={failure} />}
        {state.status === 'loading' && <p className="tavolo-loading">{t('versions.loading')}</p>}
        {state.status === 'failed' &&
          (state.failure.kind === 'api' && state.failure.status === 403 ? (
            <p className="tavolo-error-box" role="alert">
              {t('versions.page.refused')}
            </p>
          ) : (
            <FailureMessage failure={state.failure} />
          ))}
        {state.status === 'ready' && (
          <VersionList
            boardId={boardId}
            accessKey={accessKey}
            versions={state.list.versions}
            total={state.list.total}
            canManage={detail.role === 'facilitator'}
            fileBase={fileBase}
            onChanged={reload}
            headingLevel={2}
          />
        )}
        <LanguageSwitcher />
      </div>
    </main>
  )
}
