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
      // the highest visible part of the row (two levels down: the row itself may be taller than what it shows)
      let top = Infinity
      for (const child of el.querySelectorAll<HTMLElement>(':scope > *, :scope > * > *')) {
        const r = child.getBoundingClientRect()
        if (r.height > 0 && r.width > 0) top = Math.min(top, r.top)
      }
      setClearance(top === Infinity ? null : Math.max(0, Math.round(window.innerHeight - top + GAP_PX)))
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
