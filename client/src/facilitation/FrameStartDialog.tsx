import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import type { TLShape } from 'tldraw'
import { plainTextOfShape } from '../../../shared/src/board/richText.ts'
import { useT } from '../i18n/useT.ts'

/**
 * The frame of a facilitator's "start …" dialog (a vote, a private round): on which map or frame, the fields of that
 * kind (`children`), a hint, the server's refusal, start and cancel. One place for the dialog's layout and names.
 */
export function FrameStartDialog(props: {
  testId: string
  title: string
  frames: readonly TLShape[]
  frameId: string
  onFrameChange(frameId: string): void
  frameTestId: string
  children: ReactNode
  hint: string
  error: string | null
  busy: boolean
  submitLabel: string
  submitTestId: string
  onSubmit(): void
  onClose(): void
}) {
  const t = useT()
  const ids = useId()
  const dialogRef = useRef<HTMLDivElement>(null)
  // A modal dialog for the keyboard too (WAI-ARIA dialog pattern): the focus goes in, stays in, Esc closes, and it
  // comes back to the button that opened it (or, when starting disabled that button, to the group's next control).
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    const first = dialogRef.current?.querySelector<HTMLElement>('select, input, button')
    ;(first ?? dialogRef.current)?.focus()
    return () => {
      if (opener === null || !opener.isConnected) return
      opener.focus()
      // The vote or round just started disables its button when the document says so, a moment later; a disabled
      // button drops the focus to the page, so it goes on to the group's next control then (watched for 3 s).
      const moveOn = () => {
        if (!(opener as HTMLButtonElement).disabled) return false
        if (document.activeElement === opener || document.activeElement === document.body) {
          opener.closest('[data-testid=facilitation-group]')?.querySelector<HTMLElement>('button:not(:disabled), input:not(:disabled)')?.focus()
        }
        return true
      }
      if (moveOn()) return
      const watch = new MutationObserver(() => {
        if (moveOn()) watch.disconnect()
      })
      watch.observe(opener, { attributes: true, attributeFilter: ['disabled'] })
      setTimeout(() => watch.disconnect(), 3000)
    }
  }, [])
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // the board's shortcuts never see what is typed here
    e.stopPropagation()
    if (e.key === 'Escape') {
      e.preventDefault()
      props.onClose()
      return
    }
    if (e.key !== 'Tab' || dialogRef.current === null) return
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>('select, input, button, textarea, [href]')].filter((el) => !(el as HTMLButtonElement).disabled)
    if (focusable.length === 0) return
    const first = focusable[0]!
    const last = focusable[focusable.length - 1]!
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault()
      last.focus()
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault()
      first.focus()
    }
  }
  return (
    <div className="tavolo-vote-dialog-backdrop" onPointerDown={(e) => e.stopPropagation()}>
      <div
        ref={dialogRef}
        className="tavolo-vote-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${ids}-title`}
        tabIndex={-1}
        onKeyDown={onKeyDown}
        data-testid={props.testId}
      >
        <h2 id={`${ids}-title`}>{props.title}</h2>
        {props.frames.length === 0 ? (
          <p>{t('vote.dialog.noFrames')}</p>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault()
              props.onSubmit()
            }}
          >
            <label htmlFor={`${ids}-frame`}>{t('vote.dialog.frame')}</label>
            <select id={`${ids}-frame`} value={props.frameId} onChange={(e) => props.onFrameChange(e.target.value)} data-testid={props.frameTestId}>
              {props.frames.map((f) => (
                <option key={f.id} value={f.id}>
                  {plainTextOfShape(f) || f.id}
                </option>
              ))}
            </select>
            {props.children}
            <p className="tavolo-vote-hint">{props.hint}</p>
            {props.error !== null && (
              <p className="tavolo-vote-error" role="alert">
                {props.error}
              </p>
            )}
            <div className="tavolo-vote-actions">
              <button type="submit" className="tavolo-vote-button tavolo-vote-primary" disabled={props.busy || props.frameId === ''} data-testid={props.submitTestId}>
                {props.submitLabel}
              </button>
              <button type="button" className="tavolo-vote-button" onClick={props.onClose}>
                {t('vote.dialog.cancel')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  )
}
