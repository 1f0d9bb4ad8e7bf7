import { lazy, Suspense, useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react'
import { createPortal } from 'react-dom'
import { useEditor, useValue } from 'tldraw'
import { useLocale, useT } from '../i18n/useT.ts'
import { boardTextOpen } from './boardTextState.ts'
import { OthersChangesAnnouncer, useAnnounceOthers } from './OthersChangesAnnouncer.tsx'

// Loaded when the panel first opens: a participant's first paint shows only the skip link.
const BoardTextContent = lazy(() => import('./BoardTextContent.tsx').then((m) => ({ default: m.BoardTextContent })))

/**
 * "Testo della lavagna": the live board as headings, lists and tables (tldraw's canvas is invisible to screen
 * readers), in a side panel outside tldraw's container (so tldraw's keyboard shortcuts stay off while it has the
 * focus). A skip link, first on the page, opens it; opening moves the focus to its heading, closing (Esc or the
 * button) gives the focus back to where it was.
 */
/**
 * A container that is the first child of <body>: the skip link is then the first thing a screen reader reads and
 * the first Tab stop of a freshly opened page, before tldraw's menus and toolbar. Removed with the board.
 */
function useFirstBodySlot(): HTMLElement {
  // Made once, detached: it enters the page before the first paint and leaves with the board.
  const [slot] = useState(() => {
    const el = document.createElement('div')
    el.className = 'tavolo-skip-slot'
    return el
  })
  useLayoutEffect(() => {
    document.body.prepend(slot)
    return () => slot.remove()
  }, [slot])
  return slot
}

export function BoardTextPanel() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const flag = boardTextOpen(editor)
  const open = useValue(flag)
  const slot = useFirstBodySlot()
  const titleId = useId()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const returnFocus = useRef<HTMLElement | null>(null)
  const [announce, setAnnounce] = useAnnounceOthers()
  const announceId = useId()

  useEffect(() => {
    if (!open) return
    returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    headingRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && e.target instanceof Node && headingRef.current?.closest('aside')?.contains(e.target)) {
        e.preventDefault()
        flag.set(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      const back = returnFocus.current
      if (back && back.isConnected && !back.classList.contains('tavolo-skip-link')) back.focus()
      else editor.getContainer().focus()
    }
  }, [open, flag, editor])

  const skip: ReactNode = (
    <a
      href="#tavolo-board-text"
      className="tavolo-skip-link"
      onClick={(e) => {
        e.preventDefault()
        flag.set(true)
      }}
      data-testid="board-text-skip"
    >
      {t('maps.text.skip')}
    </a>
  )
  return (
    <>
      {createPortal(
        <>
          {skip}
          <OthersChangesAnnouncer enabled={announce} />
        </>,
        slot,
      )}
      {createPortal(
        // Always in the page, hidden while closed: the skip link's target exists from the first paint (a link to
        // nothing is no skip link to a screen reader or to axe's skip-link rule); its content loads when it opens.
        <aside id="tavolo-board-text" className="tavolo-board-text" aria-labelledby={titleId} hidden={!open} data-testid="board-text">
          {open && (
            <>
              <div className="tavolo-board-text-head">
                <h2 id={titleId} ref={headingRef} tabIndex={-1}>
                  {t('maps.text.title')}
                </h2>
                <button type="button" className="tavolo-board-text-close" onClick={() => flag.set(false)} data-testid="board-text-close">
                  {t('maps.text.close')}
                </button>
              </div>
              <p className="tavolo-board-text-intro">{t('maps.text.intro')}</p>
              <p className="tavolo-board-text-announce">
                <input id={announceId} type="checkbox" checked={announce} onChange={(e) => setAnnounce(e.target.checked)} data-testid="board-text-announce" />{' '}
                <label htmlFor={announceId}>{t('maps.text.announce.toggle')}</label>
              </p>
              <Suspense fallback={<p className="tavolo-loading">{t('app.loading')}</p>}>
                <BoardTextContent
                  locale={locale}
                  onShown={() => {
                    // On a phone the panel covers the board: step aside so the card can be seen.
                    if (window.innerWidth < 700) flag.set(false)
                  }}
                />
              </Suspense>
            </>
          )}
        </aside>,
        document.body,
      )}
    </>
  )
}
