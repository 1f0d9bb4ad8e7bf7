import { useEffect, useState } from 'react'
import { useEditor } from 'tldraw'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'
import { browserStorage } from '../identity/localPreferences.ts'
import { listenToOthersCardChanges } from './changeAnnouncements.ts'

const STORAGE_KEY = 'tavolo.announceOthers.v1'

/** Whether others' changes are announced (on unless the person turned it off on this device). */
export function useAnnounceOthers(): [boolean, (on: boolean) => void] {
  const [on, setOn] = useState(() => browserStorage()?.getItem(STORAGE_KEY) !== 'off')
  return [
    on,
    (next) => {
      setOn(next)
      try {
        browserStorage()?.setItem(STORAGE_KEY, next ? 'on' : 'off')
      } catch {
        // A full or blocked storage only loses the choice for next time.
      }
    },
  ]
}

/**
 * A polite live region (never takes the focus) that says what others changed: "2 nuove carte in «Mappa degli
 * attori»; 1 carta cambiata in «Mappa dei temi»", debounced. Always in the page (a live region must exist before
 * it speaks), visually hidden; silent when the person turned announcements off.
 */
export function OthersChangesAnnouncer({ enabled }: { enabled: boolean }) {
  const t = useT()
  const editor = useEditor()
  const [message, setMessage] = useState('')
  useEffect(() => {
    if (!enabled) return
    return listenToOthersCardChanges(editor, (counts, index) => {
      const parts: string[] = []
      for (const c of counts) {
        const frame = c.frameId === null ? undefined : index.byId.get(c.frameId)
        const name = (frame?.props as { name?: unknown } | undefined)?.name
        const map = typeof name === 'string' && name !== '' ? name : t('maps.text.announce.outside')
        if (c.added > 0) parts.push(t(pluralKey('maps.text.announce.added', c.added), { count: c.added, map }))
        if (c.changed > 0) parts.push(t(pluralKey('maps.text.announce.changed', c.changed), { count: c.changed, map }))
        if (c.removed > 0) parts.push(t(pluralKey('maps.text.announce.removed', c.removed), { count: c.removed, map }))
      }
      setMessage(parts.join('; '))
    })
  }, [editor, enabled, t])
  return (
    <div className="tavolo-visually-hidden" role="status" aria-live="polite" data-testid="board-text-announcer">
      {enabled ? message : ''}
    </div>
  )
}
