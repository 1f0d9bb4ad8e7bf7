import { atom, useValue } from 'tldraw'
import { useT } from '../i18n/useT.ts'

/**
 * Whether the facilitator's «Conduci» bar is unfolded. Held outside the lazily loaded facilitator chrome
 * (MeetingBoardRoute) so that the folded toggle exists with the board, before that chunk arrives: on a phone the
 * bar starts folded, and a toggle that appeared only a moment after the board looked (to a person and to a test
 * that looked once) like a bar that had folded again by itself. Small screens start folded, wide ones unfolded.
 */
export const $leadBarOpen = atom('lead bar open', typeof window !== 'undefined' && (window.matchMedia?.('(min-width: 900px)').matches ?? true))

export function useLeadBarOpen(): boolean {
  return useValue($leadBarOpen)
}

/** The folded bar: one button that unfolds it. Rendered by the bar itself and, while its chunk loads, in its place. */
export function FoldedLeadBar() {
  const t = useT()
  return (
    <div className="tavolo-lead-bar tavolo-lead-bar-closed">
      <button type="button" className="tavolo-lead-toggle" onClick={() => $leadBarOpen.set(true)} aria-expanded="false" data-testid="lead-open">
        {t('lead.open')}
      </button>
    </div>
  )
}

/** What stands in for the facilitator chrome while it loads: the folded toggle, or nothing when the bar is open. */
export function LeadBarPlaceholder() {
  return useLeadBarOpen() ? null : <FoldedLeadBar />
}
