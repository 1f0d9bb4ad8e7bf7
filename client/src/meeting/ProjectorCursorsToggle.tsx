import { useEffect, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useT } from '../i18n/useT.ts'
import { PROJECTOR_CURSORS_FIELD } from './projectorCollaborators.tsx'

/**
 * The facilitator's switch for participants' cursors and selections on the projector (off by default). Published in
 * this facilitator's awareness; the projector obeys the presenting facilitator's switch.
 */
export function ProjectorCursorsToggle({ awareness }: { awareness: Awareness }) {
  const t = useT()
  const [on, setOn] = useState(false)
  useEffect(() => {
    awareness.setLocalStateField(PROJECTOR_CURSORS_FIELD, on)
  }, [awareness, on])
  return (
    <label className="tavolo-lead-check">
      <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} data-testid="lead-cursors" />
      {t('lead.showCursors')}
    </label>
  )
}
