import { useState } from 'react'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { useT } from '../i18n/useT.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { timerAction } from './facilitationApi.ts'
import { StartPrivateDialog } from './StartPrivateDialog.tsx'
import { StartVoteDialog } from './StartVoteDialog.tsx'
import { useFacilitationDoc } from './useFacilitationDoc.ts'
import type { TimerAction } from '../../../shared/src/facilitation/timer.ts'
import './facilitation.css'

/** The facilitator bar's facilitation group: "Vota le priorità", "Scrittura individuale" and the shared timer's controls (T2). */
export function FacilitationBarGroup() {
  const t = useT()
  const session = useBoardSessionContext()
  const info = useMeetingInfo()
  const { vote, timer, privateRound } = useFacilitationDoc(session.doc)
  const [dialog, setDialog] = useState(false)
  const [privateDialog, setPrivateDialog] = useState(false)
  const [minutes, setMinutes] = useState(5)
  const [sound, setSound] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const key = info?.accessKey ?? null
  if (key === null) return null
  const voteRunning = vote !== null && vote.state === 'open'
  const send = async (action: TimerAction) => {
    const answer = await timerAction(session.boardId, key, action)
    setError(answer.ok ? null : answer.failure.kind === 'api' ? answer.failure.message : t('vote.offline'))
  }
  return (
    <>
      <div className="tavolo-lead-group" data-testid="facilitation-group">
        <button type="button" className="tavolo-lead-button" onClick={() => setDialog(true)} disabled={voteRunning} data-testid="vote-start">
          {t('vote.start')}
        </button>
        <button
          type="button"
          className="tavolo-lead-button"
          onClick={() => setPrivateDialog(true)}
          disabled={privateRound?.state === 'open'}
          data-testid="private-start"
        >
          {t('private.start')}
        </button>
        <span className="tavolo-lead-label">{t('timer.title')}</span>
        <div className="tavolo-timer-controls">
          {timer === null ? (
            <>
              <input
                type="number"
                min={1}
                max={240}
                value={minutes}
                onChange={(e) => setMinutes(Number(e.target.value))}
                aria-label={t('timer.minutes')}
                data-testid="timer-minutes"
              />
              <button
                type="button"
                className="tavolo-lead-button"
                onClick={() => void send({ action: 'start', durationMs: Math.min(240, Math.max(1, Math.round(minutes))) * 60_000, sound })}
                data-testid="timer-start"
              >
                {t('timer.start')}
              </button>
              <label className="tavolo-inline">
                <input type="checkbox" checked={sound} onChange={(e) => setSound(e.target.checked)} /> {t('timer.sound')}
              </label>
            </>
          ) : (
            <>
              {timer.pausedRemainingMs === null ? (
                <button type="button" className="tavolo-lead-button" onClick={() => void send({ action: 'pause' })} data-testid="timer-pause">
                  {t('timer.pause')}
                </button>
              ) : (
                <button type="button" className="tavolo-lead-button" onClick={() => void send({ action: 'resume' })} data-testid="timer-resume">
                  {t('timer.resume')}
                </button>
              )}
              <button type="button" className="tavolo-lead-button" onClick={() => void send({ action: 'add-minute' })} data-testid="timer-add">
                {t('timer.addMinute')}
              </button>
              <button type="button" className="tavolo-lead-button" onClick={() => void send({ action: 'stop' })} data-testid="timer-stop">
                {t('timer.stop')}
              </button>
            </>
          )}
        </div>
        {error !== null && (
          <p className="tavolo-vote-error" role="alert">
            {error}
          </p>
        )}
      </div>
      {privateDialog && <StartPrivateDialog meetingId={session.boardId} accessKey={key} onClose={() => setPrivateDialog(false)} />}
      {dialog && <StartVoteDialog meetingId={session.boardId} accessKey={key} onClose={() => setDialog(false)} />}
    </>
  )
}
