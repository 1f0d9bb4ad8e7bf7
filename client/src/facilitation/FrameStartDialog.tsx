import { useId, type ReactNode } from 'react'
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
  return (
    <div className="tavolo-vote-dialog-backdrop" onPointerDown={(e) => e.stopPropagation()}>
      <div className="tavolo-vote-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} data-testid={props.testId}>
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
