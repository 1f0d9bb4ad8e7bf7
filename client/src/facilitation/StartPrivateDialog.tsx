import { useId, useMemo, useState } from 'react'
import { useEditor } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { startPrivateRound } from './facilitationApi.ts'
import { FrameStartDialog } from './FrameStartDialog.tsx'
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
    <FrameStartDialog
      testId="private-dialog"
      title={t('private.dialog.title')}
      frames={frames}
      frameId={frameId}
      onFrameChange={setFrameId}
      frameTestId="private-frame"
      hint={t('private.dialog.hint')}
      error={error}
      busy={busy}
      submitLabel={t('private.dialog.submit')}
      submitTestId="private-submit"
      onSubmit={() => void submit()}
      onClose={onClose}
    >
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
    </FrameStartDialog>
  )
}
