import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useEditor } from 'tldraw'
import { LABEL_MAX, NOTE_MAX } from '../../../shared/src/versions/versionSchemas.ts'
import { FailureMessage } from '../app/FailureMessage.tsx'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useFacilitationDoc } from '../facilitation/useFacilitationDoc.ts'
import { versionsPath } from '../app/routes.ts'
import { usePreferences } from '../identity/PreferencesContext.tsx'
import { useT } from '../i18n/useT.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { downloadBlob, exportFileName } from './boardExport.ts'
import { ExportControls } from './ExportControls.tsx'
import { uploadMapFrameImages } from './mapFrameImages.ts'
import { useVersionList } from './useVersionList.ts'
import { VersionList } from './VersionList.tsx'
import { closeSession, fetchExportFile, reopenSession, saveVersion } from './versionsApi.ts'
import './versions.css'

type Notice =
  | { kind: 'saved'; number: number; imagesFailed: boolean }
  | { kind: 'unchanged'; number: number }
  | { kind: 'closed'; number: number | null; created: boolean }
  | { kind: 'reopened' }
  | { kind: 'failed'; failure: ApiFailure }
  | null

/**
 * The versions of the meeting, beside the live board: save one (facilitators), close the session, export, and the
 * list with open / compare / restore. Whoever sees the panel was allowed by the server to list the versions.
 */
export function VersionsPanel({ onClose }: { onClose(): void }) {
  const t = useT()
  const id = useId()
  const editor = useEditor()
  const info = useMeetingInfo()
  const { name } = usePreferences()
  const boardId = info?.boardId ?? ''
  const key = info?.accessKey ?? null
  const canManage = info?.role === 'facilitator'
  const { state, reload } = useVersionList(boardId, key)
  const [label, setLabel] = useState('')
  const [note, setNote] = useState('')
  const [missing, setMissing] = useState(false)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<Notice>(null)
  const closeRef = useRef<HTMLButtonElement>(null)
  const fileBase = info?.meeting?.reference ?? info?.meeting?.title ?? null
  const sessionClosed = useFacilitationDoc(useBoardSessionContext().doc).session?.state === 'closed'

  useEffect(() => {
    closeRef.current?.focus()
  }, [])

  async function onSave(e: FormEvent) {
    e.preventDefault()
    if (!key) return
    if (label.trim() === '') {
      setMissing(true)
      return
    }
    setBusy(true)
    setNotice(null)
    const result = await saveVersion(boardId, key, { label: label.trim(), note: note.trim() === '' ? null : note.trim(), authorName: name })
    setBusy(false)
    if (!result.ok) return setNotice({ kind: 'failed', failure: result.failure })
    const { version, created } = result.value
    reload()
    if (!created) return setNotice({ kind: 'unchanged', number: version.number })
    setLabel('')
    setNote('')
    setNotice({ kind: 'saved', number: version.number, imagesFailed: false })
    const uploaded = await uploadMapFrameImages(editor, boardId, key, version.number).catch(() => null)
    if (uploaded === null) {
      console.warn(`[tavolo] the map images of version ${version.number} were not uploaded`)
      setNotice((n) => (n?.kind === 'saved' && n.number === version.number ? { ...n, imagesFailed: true } : n))
    }
  }

  async function onCloseSession() {
    if (!key) return
    setBusy(true)
    setNotice(null)
    const result = await closeSession(boardId, key, name)
    setBusy(false)
    if (!result.ok) return setNotice({ kind: 'failed', failure: result.failure })
    reload()
    const { version, created } = result.value
    setNotice({ kind: 'closed', number: version?.number ?? null, created })
    if (created && version) void uploadMapFrameImages(editor, boardId, key, version.number).catch(() => null)
  }

  async function onReopenSession() {
    if (!key) return
    setBusy(true)
    setNotice(null)
    const result = await reopenSession(boardId, key)
    setBusy(false)
    if (!result.ok) return setNotice({ kind: 'failed', failure: result.failure })
    setNotice({ kind: 'reopened' })
  }

  async function onLiveJson(): Promise<boolean> {
    if (!key) return false
    const result = await fetchExportFile(boardId, key, 'live')
    if (!result.ok) return false
    downloadBlob(result.value, exportFileName(fileBase, 'lavagna', 'json'))
    return true
  }

  return (
    // Escape closes the panel only from inside it: on the board, Escape ends the editing of a note (the panel stays).
    <aside
      className="tavolo-versions-panel"
      aria-labelledby={`${id}-title`}
      data-testid="versions-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose()
      }}
    >
      <div className="tavolo-versions-head">
        <h2 id={`${id}-title`}>{t('versions.title')}</h2>
        <button ref={closeRef} type="button" className="tavolo-lead-toggle" onClick={onClose} aria-label={t('versions.close')} data-testid="versions-close">
          ✕
        </button>
      </div>
      <p className="tavolo-lead-note">{t('versions.intro')}</p>

      {canManage && (
        <form className="tavolo-versions-save" onSubmit={(e) => void onSave(e)} noValidate data-testid="version-save-form">
          <label htmlFor={`${id}-label`} className="tavolo-versions-label">
            {t('versions.save.label')}
          </label>
          <input
            id={`${id}-label`}
            value={label}
            maxLength={LABEL_MAX}
            onChange={(e) => {
              setLabel(e.target.value)
              setMissing(false)
            }}
            aria-invalid={missing}
            aria-describedby={`${id}-label-note`}
            autoComplete="off"
            data-testid="version-label"
          />
          <p id={`${id}-label-note`} className={missing ? 'tavolo-error' : 'tavolo-lead-note'} role={missing ? 'alert' : undefined}>
            {missing ? t('versions.save.missing') : t('versions.save.labelHint')}
          </p>
          <label htmlFor={`${id}-note`} className="tavolo-versions-label">
            {t('versions.save.note')}
          </label>
          <textarea id={`${id}-note`} rows={2} value={note} maxLength={NOTE_MAX} onChange={(e) => setNote(e.target.value)} data-testid="version-note" />
          <button type="submit" className="tavolo-lead-button tavolo-versions-primary" disabled={busy} data-testid="version-save">
            {busy ? t('versions.save.busy') : t('versions.save.submit')}
          </button>
        </form>
      )}

      <div aria-live="polite" data-testid="versions-notice">
        {notice?.kind === 'saved' && (
          <>
            <p className="tavolo-ok">{t('versions.save.done', { number: notice.number })}</p>
            {notice.imagesFailed && <p className="tavolo-lead-note">{t('versions.save.imagesFailed')}</p>}
          </>
        )}
        {notice?.kind === 'unchanged' && <p className="tavolo-versions-unchanged">{t('versions.save.unchanged', { number: notice.number })}</p>}
        {notice?.kind === 'closed' && (
          <p className="tavolo-ok">
            {notice.created && notice.number !== null
              ? t('versions.closeSessionDone', { number: notice.number })
              : t('versions.closeSessionUnchanged', { number: notice.number ?? '—' })}
          </p>
        )}
        {notice?.kind === 'reopened' && <p className="tavolo-ok">{t('versions.reopenSessionDone')}</p>}
        {notice?.kind === 'failed' && <FailureMessage failure={notice.failure} />}
      </div>

      {canManage && !sessionClosed && (
        <div className="tavolo-lead-group">
          <button type="button" className="tavolo-lead-button" disabled={busy} onClick={() => void onCloseSession()} data-testid="version-close-session">
            {t('versions.closeSession')}
          </button>
          <p className="tavolo-lead-note">{t('versions.closeSessionHint')}</p>
        </div>
      )}
      {canManage && sessionClosed && (
        <div className="tavolo-lead-group">
          <button type="button" className="tavolo-lead-button" disabled={busy} onClick={() => void onReopenSession()} data-testid="version-reopen-session">
            {t('versions.reopenSession')}
          </button>
          <p className="tavolo-lead-note">{t('versions.reopenSessionHint')}</p>
        </div>
      )}

      <details className="tavolo-lead-group tavolo-versions-export" data-testid="versions-export">
        <summary>{t('versions.export.title')}</summary>
        <ExportControls fileBase={fileBase} fileSuffix="lavagna" onJson={onLiveJson} />
      </details>
      <div className="tavolo-lead-group">
        {state.status === 'loading' && <p className="tavolo-lead-note">{t('versions.loading')}</p>}
        {state.status === 'failed' && <FailureMessage failure={state.failure} />}
        {state.status === 'ready' && key && (
          <VersionList
            boardId={info!.boardId}
            accessKey={key}
            versions={state.list.versions}
            total={state.list.total}
            canManage={canManage}
            fileBase={fileBase}
            onChanged={reload}
            openBeside
          />
        )}
        {info && key && (
          // In a new tab: the board (and a presentation) stays as it is (VersionList's openBeside).
          <a className="tavolo-version-action" href={versionsPath(info.boardId, key, { kind: 'list' })} target="_blank" rel="noopener" data-testid="versions-all">
            {t('versions.page.backToList')}
          </a>
        )}
      </div>
    </aside>
  )
}
