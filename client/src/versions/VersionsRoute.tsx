import { useEffect, useState } from 'react'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingDetailResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import { MessagePage } from '../app/MessagePage.tsx'
import type { VersionsView } from '../app/routes.ts'
import { ServerConfigGate } from '../config/ServerConfigGate.tsx'
import { useT } from '../i18n/useT.ts'
import { getMeeting, type ApiFailure } from '../meeting/meetingApi.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { ComparePage } from './ComparePage.tsx'
import { VersionsListPage } from './VersionsListPage.tsx'
import { VersionViewPage } from './VersionViewPage.tsx'

type Loaded = { status: 'loading' } | { status: 'failed'; failure: ApiFailure } | { status: 'ready'; detail: MeetingDetailResponse }

/** `/board/<id>/versions[/<n>[/compare/<m>|live]]#k=…`: who the key is, then the list, one version, or a comparison. */
export function VersionsRoute({ boardId, accessKey, view }: { boardId: BoardId; accessKey: string | null; view: VersionsView }) {
  const t = useT()
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
  useEffect(() => {
    if (!accessKey) return
    const controller = new AbortController()
    getMeeting(boardId, accessKey, controller.signal).then(
      (result) => setLoaded(result.ok ? { status: 'ready', detail: result.value } : { status: 'failed', failure: result.failure }),
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [boardId, accessKey])

  if (!accessKey) return <MessagePage titleKey="versions.page.untitled" bodyKey="versions.page.noKey" />
  if (loaded.status === 'loading') {
    return (
      <main className="tavolo-page" aria-busy="true">
        <p className="tavolo-loading">{t('versions.loading')}</p>
      </main>
    )
  }
  if (loaded.status === 'failed') {
    if (loaded.failure.kind === 'api' && (loaded.failure.status === 401 || loaded.failure.status === 404)) {
      return <MessagePage titleKey="closed.title" bodyKey={loaded.failure.status === 401 ? 'closed.4401.body' : 'closed.4404.body'} />
    }
    return (
      <main className="tavolo-page">
        <div className="tavolo-card">
          <FailureMessage failure={loaded.failure} />
        </div>
      </main>
    )
  }
  const context = { boardId, accessKey, detail: loaded.detail }
  switch (view.kind) {
    case 'list':
      return <VersionsListPage {...context} />
    case 'version':
      return (
        <ServerConfigGate>
          <VersionViewPage key={view.number} {...context} number={view.number} />
        </ServerConfigGate>
      )
    case 'compare':
      return (
        <ServerConfigGate>
          <ComparePage key={`${view.from}-${view.to}`} {...context} from={view.from} to={view.to} />
        </ServerConfigGate>
      )
  }
}

/** What every versions page knows: the meeting, and the key (and so the role) it was opened with. */
export interface VersionsPageContext {
  boardId: BoardId
  accessKey: string
  detail: MeetingDetailResponse
}
