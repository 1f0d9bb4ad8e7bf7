import { useEffect, useMemo, useState } from 'react'
import { VersionPageFailure, VersionPageLoading } from './VersionPageStates.tsx'
import { useEditor, type TLRecord, type TLShape, type TLShapeId } from 'tldraw'
import type { VersionDiffResponse, VersionRef } from '../../../shared/src/versions/versionSchemas.ts'
import { AppLink } from '../app/AppLink.tsx'
import { boardPath, versionsPath } from '../app/routes.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import type { ApiFailure, ApiResult } from '../meeting/meetingApi.ts'
import { ChangeHighlights, CHANGE_MARKER } from './ChangeHighlights.tsx'
import { zoomToChange } from './changeZoom.ts'
import { SidePanel } from './SidePanel.tsx'
import { VersionBoard } from './VersionBoard.tsx'
import type { VersionsPageContext } from './VersionsRoute.tsx'
import { diffVersions, getLiveBoard, getVersion, listVersions } from './versionsApi.ts'
import { loadVersionStore, type LoadedVersionStore } from './versionStore.ts'
import { changeLines, semanticLines, type ChangeKind, type ChangeLine, type SemanticLine } from './versionWords.ts'

interface BoardSide {
  records: unknown[]
  schema: unknown
}

type Loaded =
  | { status: 'loading' }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; from: BoardSide; to: BoardSide; diff: VersionDiffResponse; total: number }

async function loadSide(boardId: string, key: string, ref: VersionRef, signal: AbortSignal): Promise<ApiResult<BoardSide>> {
  if (ref === 'live') {
    const live = await getLiveBoard(boardId, key, signal)
    return live.ok ? { ok: true, value: { records: live.value.records, schema: live.value.schema } } : live
  }
  const version = await getVersion(boardId, key, ref, signal)
  return version.ok ? { ok: true, value: { records: version.value.version.records, schema: version.value.version.schema } } : version
}

/**
 * `/board/<id>/versions/<a>/compare/<b|live>#k=…`: the newer board (b) read only, with every change of the diff
 * highlighted on it and listed in words beside it (the maps' own words first, when the server gives them). Removed
 * shapes are shown as faint ghosts where they were, so they can be pointed at too.
 */
export function ComparePage({ boardId, accessKey, from, to }: VersionsPageContext & { from: number; to: VersionRef }) {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    const { signal } = controller
    Promise.all([
      loadSide(boardId, accessKey, from, signal),
      loadSide(boardId, accessKey, to, signal),
      diffVersions(boardId, accessKey, from, to, signal),
      listVersions(boardId, accessKey, signal),
    ]).then(
      ([a, b, diff, list]) => {
        const failed = [a, b, diff].find((r) => !r.ok)
        if (failed && !failed.ok) return setLoaded({ status: 'failed', failure: failed.failure })
        if (!a.ok || !b.ok || !diff.ok) return
        setLoaded({ status: 'ready', from: a.value, to: b.value, diff: diff.value, total: list.ok ? list.value.total : 0 })
      },
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [boardId, accessKey, from, to])

  if (loaded.status === 'loading') return <VersionPageLoading messageKey="versions.compare.loading" />
  if (loaded.status === 'failed') return <VersionPageFailure failure={loaded.failure} boardId={boardId} accessKey={accessKey} />
  return <Comparison boardId={boardId} accessKey={accessKey} fromNumber={from} toRef={to} {...loaded} />
}

/** The newer board's store, plus the removed shapes of the older one as ghosts (faint, in their old place). */
function comparisonStore(from: BoardSide, to: BoardSide, removedIds: Set<string>): LoadedVersionStore {
  const shown = loadVersionStore(to.records, to.schema)
  if (removedIds.size === 0) return shown
  const older = loadVersionStore(from.records, from.schema)
  const ghosts: TLRecord[] = []
  const present = (id: string) => shown.store.has(id as TLShapeId) || ghosts.some((g) => g.id === id)
  // Parents before children: a removed frame comes before the notes that were in it.
  const removed = [...removedIds].map((id) => older.store.get(id as TLShapeId)).filter((r): r is TLShape => r?.typeName === 'shape')
  let added = true
  while (added) {
    added = false
    for (const shape of removed) {
      if (present(shape.id) || !(present(shape.parentId) || shown.store.has(shape.parentId))) continue
      ghosts.push({ ...shape, opacity: Math.min(shape.opacity, 0.35) })
      added = true
    }
  }
  older.store.dispose()
  if (ghosts.length > 0) shown.store.put(ghosts)
  return shown
}

function Comparison({
  boardId,
  accessKey,
  fromNumber,
  toRef,
  from,
  to,
  diff,
  total,
}: {
  boardId: string
  accessKey: string
  fromNumber: number
  toRef: VersionRef
  from: BoardSide
  to: BoardSide
  diff: VersionDiffResponse
  total: number
}) {
  const t = useT()
  const [focused, setFocused] = useState<string | null>(null)
  const lines = useMemo(() => changeLines(t, diff.diff), [t, diff])
  const locale = useLocale()
  const semantic = useMemo(() => semanticLines(diff.semantic, locale), [diff, locale])
  const loaded = useMemo(() => comparisonStore(from, to, new Set(diff.diff.removed.map((s) => s.id))), [from, to, diff])
  const id = boardId as Parameters<typeof versionsPath>[0]
  const title = toRef === 'live' ? t('versions.compare.liveTitle', { from: fromNumber }) : t('versions.compare.title', { from: fromNumber, to: toRef })

  const banner = (
    <div className="tavolo-version-banner" data-testid="version-banner">
      <h1 className="tavolo-version-banner-title" data-testid="version-banner-title">
        {title}
      </h1>
      <AppLink className="tavolo-banner-button" to={versionsPath(id, accessKey, { kind: 'version', number: fromNumber })} data-testid="compare-open-from">
        {t('versions.view.readOnlyShort', { number: fromNumber, total })}
      </AppLink>
      {toRef === 'live' ? (
        <AppLink className="tavolo-banner-button" to={boardPath(id, accessKey)} data-testid="compare-open-to">
          {t('versions.page.backToBoard')}
        </AppLink>
      ) : (
        <AppLink className="tavolo-banner-button" to={versionsPath(id, accessKey, { kind: 'version', number: toRef })} data-testid="compare-open-to">
          {t('versions.view.readOnlyShort', { number: toRef, total })}
        </AppLink>
      )}
    </div>
  )
  const { summary } = diff.diff
  const side = (
    <SidePanel title={title}>
      <p className="tavolo-version-meta" data-testid="compare-summary">
        {t('versions.compare.summary', { added: summary.added, removed: summary.removed, changed: summary.changed, moved: summary.moved })}
      </p>
      {semantic.length > 0 && (
        <section data-testid="compare-semantic">
          <h3>{t('versions.compare.semantic')}</h3>
          <SemanticList lines={semantic} />
        </section>
      )}
      <section>
        <h3>{t('versions.compare.shapes')}</h3>
        {lines.length === 0 ? (
          <p data-testid="compare-none">{t('versions.compare.none')}</p>
        ) : (
          <>
            <p className="tavolo-lead-note">{t('versions.compare.zoomHint')}</p>
            <ChangeList lines={lines} focused={focused} onFocus={setFocused} />
          </>
        )}
      </section>
      <Legend />
      <AppLink className="tavolo-version-action" to={versionsPath(id, accessKey, { kind: 'list' })}>
        {t('versions.page.backToList')}
      </AppLink>
    </SidePanel>
  )
  return <VersionBoard store={loaded.store} banner={banner} side={side} overlay={<ChangeHighlights lines={lines} focused={focused} />} />
}

/** The maps' own words for the changes; a line about one card zooms to it, as a shape-level change does. */
function SemanticList({ lines }: { lines: SemanticLine[] }) {
  const editor = useEditor()
  return (
    <ul className="tavolo-semantic-list" data-testid="semantic-list">
      {lines.map((line, i) => {
        const shape = line.shapeId ? editor.getShape(line.shapeId as TLShapeId) : undefined
        return (
          <li key={i} data-testid="semantic-item">
            {shape ? (
              <button type="button" className="tavolo-version-action" onClick={() => zoomToChange(editor, shape.id, null)}>
                {line.text}
              </button>
            ) : (
              line.text
            )}
          </li>
        )
      })}
    </ul>
  )
}

function ChangeList({ lines, focused, onFocus }: { lines: ChangeLine[]; focused: string | null; onFocus(key: string): void }) {
  const editor = useEditor()
  function zoomTo(line: ChangeLine) {
    zoomToChange(editor, line.shapeId as TLShapeId, line.box)
    onFocus(line.key)
  }
  return (
    <ul className="tavolo-change-list" data-testid="change-list">
      {lines.map((line) => (
        <li key={line.key}>
          <button
            type="button"
            className={`tavolo-change-item tavolo-change-item-${line.kind}`}
            aria-current={focused === line.key}
            onClick={() => zoomTo(line)}
            data-testid="change-item"
            data-kind={line.kind}
            data-shape-id={line.shapeId}
          >
            <span className={`tavolo-change-symbol tavolo-change-symbol-${line.kind}`} aria-hidden="true">
              {CHANGE_MARKER[line.kind]}
            </span>
            <span>{line.words}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}

const LEGEND: Array<[ChangeKind, 'versions.compare.legendAdded' | 'versions.compare.legendRemoved' | 'versions.compare.legendChanged' | 'versions.compare.legendMoved']> = [
  ['added', 'versions.compare.legendAdded'],
  ['removed', 'versions.compare.legendRemoved'],
  ['changed', 'versions.compare.legendChanged'],
  ['moved', 'versions.compare.legendMoved'],
]

function Legend() {
  const t = useT()
  return (
    <section>
      <h3>{t('versions.compare.legend')}</h3>
      <ul className="tavolo-change-legend">
        {LEGEND.map(([kind, key]) => (
          <li key={kind}>
            <span className={`tavolo-change-symbol tavolo-change-symbol-${kind}`} aria-hidden="true">
              {CHANGE_MARKER[kind]}
            </span>{' '}
            {t(key)}
          </li>
        ))}
      </ul>
    </section>
  )
}
