import { useId, useMemo, useState } from 'react'
import { useEditor } from 'tldraw'
import { plainTextOfShape } from '../../../shared/src/board/richText.ts'
import { useT } from '../i18n/useT.ts'
import { startPrivateRound } from './facilitationApi.ts'
import { preselectedFrame } from './StartVoteDialog.tsx'

/** PR1: "Scrittura individuale": on which map or frame, with the authors' names or anonymous, optionally timed. */
export function StartPrivateDialog({ meetingId, accessKey, onClose }: { meetingId: string; accessKey: string; onClose(): void }) {
  const t = useT()
  const editor = useEditor()
  const ids = useId()
  const frames = useMemo(() => editor.getCurrentPageShapes().filter((s) => s.type === 'frame'), [editor])
  const [frameId, setFrameId] = useState(() => preselectedFrame(editor, frames))
  const [named, setNamed] = useState(false)
  const [timed, setTimed] = useState(false)
  const [minutes, setMinutes] = useState(5)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async () => {
    setBusy(true)
    setError(null)
    const durationMs = timed ? Math.min(240, Math.max(1, Math.round(minutes))) * 60_000 : null
    const answer = await startPrivateRound(meetingId, accessKey, { frameId, named, durationMs })
    setBusy(false)
    if (answer.ok) onClose()
    else setError(answer.failure.kind === 'api' ? answer.failure.message : t('private.offline'))
  }

  return (
    <div className="tavolo-vote-dialog-backdrop" onPointerDown={(e) => e.stopPropagation()}>
      <div className="tavolo-vote-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} data-testid="private-dialog">
        <h2 id={`${ids}-title`}>{t('private.dialog.title')}</h2>
        {frames.length === 0 ? (
          <p>{t('vote.dialog.noFrames')}</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void submit()
            }}
          >
            <label htmlFor={`${ids}-frame`}>{t('vote.dialog.frame')}</label>
            <select id={`${ids}-frame`} value={frameId} onChange={(e) => setFrameId(e.target.value)} data-testid="private-frame">
              {frames.map((f) => (
                <option key={f.id} value={f.id}>
                  {plainTextOfShape(f) || f.id}
                </option>
              ))}
            </select>
            <fieldset>
              <legend>{t('private.dialog.authors')}</legend>
              <label className="tavolo-inline">
                <input type="radio" name={`${ids}-named`} checked={!named} onChange={() => setNamed(false)} data-testid="private-anonymous" />{' '}
                {t('private.dialog.anonymous')}
              </label>
              <label className="tavolo-inline">
                <input type="radio" name={`${ids}-named`} checked={named} onChange={() => setNamed(true)} data-testid="private-named" /> {t('private.dialog.named')}
              </label>
            </fieldset>
            <label className="tavolo-inline">
              <input type="checkbox" checked={timed} onChange={(e) => setTimed(e.target.checked)} /> {t('private.dialog.timer')}
              <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label={t('vote.dialog.minutes')} />
              {t('vote.dialog.minutes')}
            </label>
            <p className="tavolo-vote-hint">{t('private.dialog.hint')}</p>
            {error !== null && (
              <p className="tavolo-vote-error" role="alert">
                {error}
              </p>
            )}
            <div className="tavolo-vote-actions">
              <button type="submit" className="tavolo-vote-button tavolo-vote-primary" disabled={busy || frameId === ''} data-testid="private-submit">
                {t('private.dialog.submit')}
              </button>
              <button type="button" className="tavolo-vote-button" onClick={onClose}>
                {t('vote.dialog.cancel')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  )
}
