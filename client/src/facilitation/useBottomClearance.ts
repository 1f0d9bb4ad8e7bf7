import { useEffect, useState } from 'react'

/** tldraw's bottom row (toolbar, and on a phone the undo row and our «Aggiungi carta» above it). */
const BOTTOM_CHROME = '.tlui-layout__bottom'
const GAP_PX = 8

/**
 * How far above the window's bottom edge the facilitation panels (vote bar, session notices) must start so that the
 * toolbar never covers them: measured, because the toolbar's height differs by role, width and state (a phone's
 * participant toolbar stacks «Aggiungi carta» over tldraw's rows; a read-only board shows a smaller one). null while
 * there is no toolbar (the projector): the panels keep their own place.
 */
export function useBottomClearance(): number | null {
  const [clearance, setClearance] = useState<number | null>(null)
  useEffect(() => {
    let observed: Element | null = null
    let retry: ReturnType<typeof setTimeout> | undefined
    const measure = () => {
      const el = observed
      if (!el || !el.isConnected) return setClearance(null)
      // the toolbar's own box (ours on a participant's board, holding «Aggiungi carta», else tldraw's): other parts
      // of the row (the accessibility announcer, the navigation panel) can be tall and invisible
      const toolbar = el.querySelector('.tavolo-participant-toolbar') ?? el.querySelector('.tlui-toolbar')
      const r = toolbar?.getBoundingClientRect()
      if (!r || r.height === 0) return setClearance(null)
      // never more than half the window, whatever the measure says: the panels must stay on screen
      setClearance(Math.min(Math.round(window.innerHeight / 2), Math.max(0, Math.round(window.innerHeight - r.top + GAP_PX))))
    }
    const resize = new ResizeObserver(measure)
    // only the row's own subtree: the toolbar changes (read-only, a tool's extra row) without resizing the row
    const mutations = new MutationObserver(measure)
    // tldraw mounts its UI beside this layer, maybe after it: look for the row until it is there (not on the projector)
    const find = (tries: number) => {
      observed = document.querySelector(BOTTOM_CHROME)
      if (observed) {
        resize.observe(observed)
        mutations.observe(observed, { childList: true, subtree: true })
        measure()
      } else if (tries > 0) retry = setTimeout(() => find(tries - 1), 250)
    }
    find(20)
    window.addEventListener('resize', measure)
    return () => {
      clearTimeout(retry)
      resize.disconnect()
      mutations.disconnect()
      window.removeEventListener('resize', measure)
    }
  }, [])
  return clearance
}
