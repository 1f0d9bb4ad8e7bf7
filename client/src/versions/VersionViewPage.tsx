import { useEffect, useId, useMemo, useState } from 'react'
import { VersionPageFailure, VersionPageLoading } from './VersionPageStates.tsx'
import type { VersionDetail } from '../../../shared/src/versions/versionSchemas.ts'
import { AppLink } from '../app/AppLink.tsx'
import { navigate } from '../app/navigation.ts'
import { boardPath, versionsPath } from '../app/routes.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from '../meeting/formatMeetingTime.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { downloadBlob, exportFileName } from './boardExport.ts'
import { ExportControls } from './ExportControls.tsx'
import { VersionActions } from './VersionActions.tsx'
import { VersionBoard } from './VersionBoard.tsx'
import type { VersionsPageContext } from './VersionsRoute.tsx'
import { fetchExportFile, getVersion, listVersions } from './versionsApi.ts'
import { loadVersionStore } from './versionStore.ts'
import { authorWords, KIND_LABEL, shapeCountWords } from './versionWords.ts'
import { SidePanel } from './SidePanel.tsx'

type Loaded = { status: 'loading' } | { status: 'failed'; failure: ApiFailure } | { status: 'ready'; version: VersionDetail; total: number }

/** `/board/<id>/versions/<n>#k=…`: version n in the board UI, read only, with previous / next and what to do with it. */
export function VersionViewPage({ boardId, accessKey, detail, number }: VersionsPageContext & { number: number }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    Promise.all([getVersion(boardId, accessKey, number, controller.signal), listVersions(boardId, accessKey, controller.signal)]).then(
      ([version, list]) => {
        if (!version.ok) return setLoaded({ status: 'failed', failure: version.failure })
        setLoaded({ status: 'ready', version: version.value.version, total: list.ok ? list.value.total : version.value.version.number })
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [boardId, accessKey, number])

  if (loaded.status === 'loading') return <VersionPageLoading messageKey="versions.loading" />
  if (loaded.status === 'failed') return <VersionPageFailure failure={loaded.failure} boardId={boardId} accessKey={accessKey} />
  return <VersionView boardId={boardId} accessKey={accessKey} detail={detail} version={loaded.version} total={loaded.total} />
}

function VersionView({ boardId, accessKey, detail, version, total }: VersionsPageContext & { version: VersionDetail; total: number }) {
  const t = useT()
  const locale = useLocale()
  const id = useId()
  const loaded = useMemo(() => loadVersionStore(version.records, version.schema), [version])
  const [compareWith, setCompareWith] = useState<string>(version.number > 1 ? String(version.number - 1) : 'live')
  const fileBase = detail.meeting.reference ?? detail.meeting.title
  const n = version.number
  const isFacilitator = detail.role === 'facilitator'

  useEffect(() => {
    if (loaded.skipped.length > 0) for (const s of loaded.skipped) console.warn(`[tavolo] version ${n}: skipped record ${s.id}: ${s.reason}`)
  }, [loaded, n])

  const banner = (
    <div className="tavolo-version-banner" data-testid="version-banner">
      <AppLink
        className="tavolo-banner-button"
        to={versionsPath(boardId, accessKey, { kind: 'version', number: n - 1 })}
        aria-disabled={n <= 1}
        aria-label={t('versions.view.previous')}
        tabIndex={n <= 1 ? -1 : undefined}
        data-testid="version-previous"
      >
        ◀ <span className="tavolo-banner-word">{t('versions.view.previous')}</span>
      </AppLink>
      <h1 className="tavolo-version-banner-title" data-testid="version-banner-title">
        {t('versions.view.readOnly', { number: n, total })}
      </h1>
      <span className="tavolo-version-banner-label">{version.label}</span>
      <AppLink
        className="tavolo-banner-button"
        to={versionsPath(boardId, accessKey, { kind: 'version', number: n + 1 })}
        aria-disabled={n >= total}
        aria-label={t('versions.view.next')}
        tabIndex={n >= total ? -1 : undefined}
        data-testid="version-next"
      >
        <span className="tavolo-banner-word">{t('versions.view.next')}</span> ▶
      </AppLink>
    </div>
  )

  async function downloadJson(): Promise<boolean> {
    const result = await fetchExportFile(boardId, accessKey, n)
    if (!result.ok) return false
    downloadBlob(result.value, exportFileName(fileBase, `versione-${n}`, 'json'))
    return true
  }

  const compareOptions = Array.from({ length: total }, (_, i) => total - i).filter((k) => k !== n)
  const side = (
    <SidePanel title={t('versions.position', { number: n, total })}>
      <p className="tavolo-version-label">{version.label}</p>
      <p className="tavolo-version-meta">
        <span className="tavolo-version-kind">{t(KIND_LABEL[version.kind])}</span>
        {' · '}
        {t('versions.byAt', { author: authorWords(t, version.author), time: formatShortDateTime(version.createdAt, locale) ?? version.createdAt })}
        {' · '}
        {shapeCountWords(t, version.counts.shapes)}
      </p>
      {version.note && <p className="tavolo-version-note">{version.note}</p>}
      {loaded.skipped.length > 0 && (
        <p className="tavolo-chip-warning tavolo-chip" role="status" data-testid="version-skipped">
          {t('versions.view.invalidRecords', { count: loaded.skipped.length })}
        </p>
      )}
      <div className="tavolo-lead-group">
        <label htmlFor={`${id}-compare`} className="tavolo-versions-label">
          {t('versions.compare.pick')}
        </label>
        <div className="tavolo-lead-row">
          <select id={`${id}-compare`} value={compareWith} onChange={(e) => setCompareWith(e.target.value)} data-testid="version-compare-with">
            <option value="live">{t('versions.compare.live')}</option>
            {compareOptions.map((k) => (
              <option key={k} value={k}>
                {t('versions.position', { number: k, total })}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="tavolo-lead-button"
            onClick={() => {
              const other: number | 'live' = compareWith === 'live' ? 'live' : Number(compareWith)
              // The older side first, so "added" means added since then.
              const view = other === 'live' || other > n ? { kind: 'compare' as const, from: n, to: other } : { kind: 'compare' as const, from: other, to: n }
              navigate(versionsPath(boardId, accessKey, view))
            }}
            data-testid="version-compare-go"
          >
            {t('versions.action.view')}
          </button>
        </div>
      </div>
      {isFacilitator && (
        <div className="tavolo-lead-group">
          <VersionActions boardId={boardId} accessKey={accessKey} version={version} />
        </div>
      )}
      <div className="tavolo-lead-group">
        <h3>{t('versions.export.title')}</h3>
        <ExportControls fileBase={fileBase} fileSuffix={`versione-${n}`} onJson={downloadJson} />
      </div>
      <div className="tavolo-lead-group">
        <AppLink className="tavolo-version-action" to={versionsPath(boardId, accessKey, { kind: 'list' })} data-testid="version-all">
          {t('versions.page.backToList')}
        </AppLink>
        <AppLink className="tavolo-version-action" to={boardPath(boardId, accessKey)} data-testid="version-back-to-board">
          {t('versions.page.backToBoard')}
        </AppLink>
      </div>
    </SidePanel>
  )

  return <VersionBoard store={loaded.store} banner={banner} side={side} />
}
