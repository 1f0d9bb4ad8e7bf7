import { useEffect, useRef, useState } from 'react'
import { formatRemaining, timerRemainingMs, type TimerState } from '../../../shared/src/facilitation/timer.ts'
import { useT } from '../i18n/useT.ts'

/** A short, soft two-tone chime (Web Audio: no file to load); silent where the browser does not allow sound yet. */
function chime(): void {
  try {
    const context = new AudioContext()
    const gain = context.createGain()
    gain.gain.setValueAtTime(0.0001, context.currentTime)
    gain.gain.exponentialRampToValueAtTime(0.15, context.currentTime + 0.05)
    gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + 1.2)
    gain.connect(context.destination)
    for (const [i, frequency] of [660, 880].entries()) {
      const tone = context.createOscillator()
      tone.frequency.value = frequency
      tone.connect(gain)
      tone.start(context.currentTime + i * 0.25)
      tone.stop(context.currentTime + 1.2)
    }
    setTimeout(() => void context.close(), 1500)
  } catch {
    // no Web Audio here: the visual signal is enough
  }
}

/**
 * T1, T3, T4: the shared countdown, the same second on every device (server time through the measured offset). At
 * zero it pulses and says so; a sound only when the facilitator turned it on.
 */
export function TimerDisplay({ timer, serverNow, large = false }: { timer: TimerState; serverNow: () => number; large?: boolean }) {
  const t = useT()
  const [remaining, setRemaining] = useState(() => timerRemainingMs(timer, serverNow()))
  const rang = useRef<TimerState | null>(null)
  useEffect(() => {
    const tick = () => setRemaining(timerRemainingMs(timer, serverNow()))
    tick()
    if (timer.pausedRemainingMs !== null) return
    // 4 ticks a second: the shown second changes within 250 ms of the true one
    const id = setInterval(tick, 250)
    return () => clearInterval(id)
  }, [timer, serverNow])
  const done = remaining === 0 && timer.pausedRemainingMs === null
  useEffect(() => {
    if (!done || rang.current === timer) return
    rang.current = timer
    if (timer.sound) chime()
  }, [done, timer])
  const text = formatRemaining(remaining)
  return (
    <div
      className={`tavolo-timer${large ? ' tavolo-timer-large' : ''}${done ? ' tavolo-timer-done' : ''}`}
      role="timer"
      aria-live={done ? 'assertive' : 'off'}
      aria-label={done ? t('timer.done') : t('timer.remaining', { time: text })}
      data-testid="timer"
      data-remaining={text}
    >
      <span className="tavolo-timer-time">{text}</span>
      {timer.pausedRemainingMs !== null && <span className="tavolo-timer-note">{t('timer.paused')}</span>}
      {done && <span className="tavolo-timer-note">{t('timer.done')}</span>}
    </div>
  )
}
