import { useState, type ReactNode } from 'react'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import { AppLink } from '../app/AppLink.tsx'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { versionsPath } from '../app/routes.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { formatShortDateTime } from '../meeting/formatMeetingTime.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { downloadBlob, exportFileName } from './boardExport.ts'
import { VersionActions } from './VersionActions.tsx'
import { fetchExportFile } from './versionsApi.ts'
import { authorWords, KIND_LABEL, shapeCountWords } from './versionWords.ts'

export interface VersionListProps {
  boardId: BoardId
  accessKey: string
  versions: VersionSummary[]
  total: number
  /** Restore and "open as a new meeting" are facilitator actions (the server checks it too). */
  canManage: boolean
  /** Base of downloaded file names (the meeting's reference or title). */
  fileBase: string | null
  /** After a restore: the list has a new version (and the board changed). */
  onChanged(): void
  /** The level of each version's heading: 2 on the versions page (under its h1), 3 in the board's panel (under its h2). */
  headingLevel?: 2 | 3
  /**
   * Open versions and comparisons in a new tab, beside the board (the board's own panel): leaving the board would
   * stop a presentation (the wall would wait for «Presenta» again) and lose the facilitator's place on it.
   */
  openBeside?: boolean
}

/** A link to a versions page: in place (AppLink), or in a new tab beside the board. */
function VersionLink({ to, beside, ...props }: { to: string; beside: boolean; className: string; 'data-testid': string; children: ReactNode }) {
  if (beside) return <a href={to} target="_blank" rel="noopener" {...props} />
  return <AppLink to={to} {...props} />
}

/** "Versione k (di n)" with label, note, author, time, kind and counts, newest first, and what can be done with each. */
export function VersionList({ boardId, accessKey, versions, total, canManage, fileBase, onChanged, openBeside = false, headingLevel = 3 }: VersionListProps) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const t = useT()
  const locale = useLocale()
  const [failure, setFailure] = useState<ApiFailure | null>(null)

  async function download(number: number) {
    const result = await fetchExportFile(boardId, accessKey, number)
    if (result.ok) downloadBlob(result.value, exportFileName(fileBase, `versione-${number}`, 'json'))
    else setFailure(result.failure)
  }

  if (versions.length === 0) return <p data-testid="versions-empty">{t('versions.empty')}</p>

  return (
    <>
      {failure && <FailureMessage failure={failure} />}
      <ol className="tavolo-version-list" data-testid="version-list">
        {versions.map((v) => (
          <li key={v.number} className="tavolo-version-item" data-testid="version-item" data-number={v.number} data-kind={v.kind}>
            <Heading className="tavolo-version-heading">
              <span className="tavolo-version-position">{t('versions.position', { number: v.number, total })}</span>
              <span className="tavolo-version-label">{v.label}</span>
            </Heading>
            <p className="tavolo-version-meta">
              <span className={`tavolo-version-kind tavolo-version-kind-${v.kind}`}>{t(KIND_LABEL[v.kind])}</span>
              {' · '}
              {t('versions.byAt', { author: authorWords(t, v.author), time: formatShortDateTime(v.createdAt, locale) ?? v.createdAt })}
              {' · '}
              {shapeCountWords(t, v.counts.shapes)}
            </p>
            {v.note && <p className="tavolo-version-note">{v.note}</p>}
            <p className="tavolo-version-actions">
              <VersionLink beside={openBeside} className="tavolo-version-action" to={versionsPath(boardId, accessKey, { kind: 'version', number: v.number })} data-testid="version-open">
                {t('versions.action.view')}
              </VersionLink>
              {v.number > 1 && (
                <VersionLink
                  beside={openBeside}
                  className="tavolo-version-action"
                  to={versionsPath(boardId, accessKey, { kind: 'compare', from: v.number - 1, to: v.number })}
                  data-testid="version-compare-previous"
                >
                  {t('versions.action.comparePrevious')}
                </VersionLink>
              )}
              <VersionLink beside={openBeside} className="tavolo-version-action" to={versionsPath(boardId, accessKey, { kind: 'compare', from: v.number, to: 'live' })} data-testid="version-compare-live">
                {t('versions.action.compareLive')}
              </VersionLink>
              <button type="button" className="tavolo-version-action" onClick={() => void download(v.number)} data-testid="version-export-json">
                {t('versions.action.exportJson')}
              </button>
            </p>
            {canManage && <VersionActions boardId={boardId} accessKey={accessKey} version={v} onRestored={onChanged} />}
          </li>
        ))}
      </ol>
    </>
  )
}
