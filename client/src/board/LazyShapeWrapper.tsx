import { forwardRef, useEffect, useState } from 'react'
import { DefaultShapeWrapper, react, useEditor, type Editor, type TLShapeId, type TLShapeWrapperProps } from 'tldraw'

/**
 * tldraw mounts the full component of every shape on the page and hides the off-screen ones with `display: none`.
 * On a big board (a 2,000-note board: ~1.5 s of React work for notes nobody sees) that is most of the cost of opening
 * it. This wrapper keeps tldraw's container (tldraw positions, orders and culls it as usual) but mounts the shape's
 * content only once the shape has been on screen (not culled) for the first time; from then on it stays mounted, so
 * panning back and forth costs nothing. Culled shapes are invisible anyway, and tldraw never culls a selected or
 * edited shape, so nobody can see or touch a shape whose content is not mounted yet.
 */
export const LazyShapeWrapper = forwardRef<HTMLDivElement, TLShapeWrapperProps>(function LazyShapeWrapper(
  { children, ...props },
  ref,
) {
  const editor = useEditor()
  const id = props.shape.id
  const [revealed, setRevealed] = useState(() => !editor.getCulledShapes().has(id))
  useEffect(() => {
    if (revealed) return
    return whenFirstVisible(editor, id, () => setRevealed(true))
  }, [editor, id, revealed])
  return (
    <DefaultShapeWrapper ref={ref} {...props}>
      {revealed ? children : null}
    </DefaultShapeWrapper>
  )
})

interface Revealer {
  waiting: Map<TLShapeId, Set<() => void>>
  stop: (() => void) | null
}

const revealers = new WeakMap<Editor, Revealer>()

/**
 * Calls `onVisible` once, when the shape is first not culled; returns a cancel function. One reactor per editor serves
 * every waiting shape (thousands of per-shape subscriptions are what tldraw itself avoids for culling).
 */
export function whenFirstVisible(editor: Editor, id: TLShapeId, onVisible: () => void): () => void {
  let revealer = revealers.get(editor)
  if (revealer === undefined) {
    revealer = { waiting: new Map(), stop: null }
    revealers.set(editor, revealer)
  }
  const own = revealer
  const callbacks = own.waiting.get(id) ?? new Set()
  callbacks.add(onVisible)
  own.waiting.set(id, callbacks)
  own.stop ??= react('reveal shapes on first view', () => {
    const culled = editor.getCulledShapes()
    const visible: (() => void)[] = []
    for (const [waitingId, waitingCallbacks] of own.waiting) {
      if (culled.has(waitingId)) continue
      own.waiting.delete(waitingId)
      visible.push(...waitingCallbacks)
    }
    // Outside the loop: a callback may register or cancel (React state updates), which must not disturb iteration.
    for (const callback of visible) callback()
  })
  return () => {
    callbacks.delete(onVisible)
    if (callbacks.size === 0 && own.waiting.get(id) === callbacks) own.waiting.delete(id)
    if (own.waiting.size === 0 && own.stop !== null) {
      own.stop()
      own.stop = null
    }
  }
}
