import { useId, useState, type ReactNode } from 'react'
import { useT } from '../i18n/useT.ts'

/** The right-hand panel of the read-only views; it folds away to show the whole board (small screens start folded). */
export function SidePanel({ title, children }: { title: string; children: ReactNode }) {
  const t = useT()
  const id = useId()
  const [open, setOpen] = useState(() => window.matchMedia?.('(min-width: 700px)').matches ?? true)
  if (!open) {
    return (
      <div className="tavolo-version-side tavolo-version-side-closed">
        <button type="button" className="tavolo-lead-toggle" aria-expanded="false" onClick={() => setOpen(true)} data-testid="version-side-open">
          ◂ {title}
        </button>
      </div>
    )
  }
  return (
    <aside className="tavolo-version-side" aria-labelledby={`${id}-title`} data-testid="version-side">
      <div className="tavolo-versions-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" className="tavolo-lead-toggle" aria-expanded="true" aria-label={t('versions.close')} onClick={() => setOpen(false)}>
          ✕
        </button>
      </div>
      {children}
    </aside>
  )
}
