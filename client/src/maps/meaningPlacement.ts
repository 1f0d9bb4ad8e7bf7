/**
 * Where "Significato" (the button and the panel it opens) goes beside the selected card: never over the card, so a
 * tap on the card to type in it never opens the meaning panel instead (issue 19 item 5). Pure; screen CSS px.
 * Tried in order: right of the card, left of it, below it, above it (there the panel opens upwards); the first
 * where the open panel fits on screen wins; when none does (a card filling a phone's screen) the side with the most
 * room, clamped to the screen.
 */
export interface ScreenRect {
  x: number
  y: number
  w: number
  h: number
}

export type Side = 'right' | 'left' | 'below' | 'above'

export interface Placement {
  side: Side
  /** Top-left of the control (for 'above': its bottom-left, the panel grows upwards from there). */
  x: number
  y: number
}

const GAP = 8

export function meaningPlacement(card: ScreenRect, screen: { w: number; h: number }, panel: { w: number; h: number }): Placement {
  const clampX = (x: number) => Math.max(GAP, Math.min(x, screen.w - panel.w - GAP))
  const clampY = (y: number) => Math.max(GAP, Math.min(y, screen.h - panel.h - GAP))
  const room: Record<Side, number> = {
    right: screen.w - (card.x + card.w) - GAP,
    left: card.x - GAP,
    below: screen.h - (card.y + card.h) - GAP,
    above: card.y - GAP,
  }
  const fits: Record<Side, boolean> = {
    right: room.right >= panel.w + GAP,
    left: room.left >= panel.w + GAP,
    below: room.below >= panel.h + GAP,
    above: room.above >= panel.h + GAP,
  }
  const place = (side: Side): Placement => {
    switch (side) {
      case 'right':
        return { side, x: card.x + card.w + GAP, y: clampY(card.y) }
      case 'left':
        return { side, x: card.x - GAP - panel.w, y: clampY(card.y) }
      case 'below':
        return { side, x: clampX(card.x), y: card.y + card.h + GAP }
      case 'above':
        return { side, x: clampX(card.x), y: card.y - GAP }
    }
  }
  const order: Side[] = ['right', 'left', 'below', 'above']
  const first = order.find((side) => fits[side])
  if (first) return place(first)
  // Nothing fits whole: the roomiest side, kept on screen (a vertical side keeps the card's own rows free).
  const roomiest = (['below', 'above', 'right', 'left'] as const).reduce((a, b) => (room[b] > room[a] ? b : a))
  const p = place(roomiest)
  return roomiest === 'above' ? { ...p, y: Math.max(p.y, GAP + 44) } : { ...p, x: Math.max(GAP, Math.min(p.x, screen.w - GAP - 44)), y: Math.max(GAP, Math.min(p.y, screen.h - GAP - 44)) }
}
