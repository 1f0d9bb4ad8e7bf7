/**
 * How large a card's meaning badge is on screen (MapBadges.tsx; tests/unit/badgeSize.test.ts). The card is what
 * people read: its badge is set in smaller type than the card's own text, at most 12 px (the wall, a laptop zoomed
 * in) and at least 9 px (still legible when the cards themselves are small, zoomed far out). On a phone, where a map
 * is shown at the smallest readable zoom (cards at ~12-14 px), badges come out at 9-11 px instead of a fixed 12 px
 * that outgrew the architecture's instrument labels (issue 19).
 */
export const BADGE_MAX_PX = 12
export const BADGE_MIN_PX = 9
/** A badge's text to its card's text. */
const RATIO = 0.75

/** The badge's font size (CSS px) for a card whose text shows at `cardTextPx` on screen (0: unknown). */
export function badgeFontPx(cardTextPx: number): number {
  if (!(cardTextPx > 0)) return BADGE_MAX_PX
  return Math.round(Math.min(BADGE_MAX_PX, Math.max(BADGE_MIN_PX, cardTextPx * RATIO)) * 2) / 2
}

/** A generous estimate of a badge's width (CSS px): its longest line in bold system-ui, plus its padding. */
export function badgeWidthEstimate(lines: readonly string[], fontPx: number, maxWidth: number): number {
  const longest = Math.max(0, ...lines.map((l) => l.length))
  return Math.min(maxWidth, Math.ceil(longest * fontPx * 0.62) + 14)
}

/**
 * The badge's left edge: under the card's left corner, moved left when the badge would run past the screen's right
 * edge (a card at the edge of a phone's screen), and kept `margin` inside the screen's left edge.
 */
export function badgeLeft(cardLeft: number, badgeWidth: number, screenWidth: number, margin = 4): number {
  return Math.max(margin, Math.min(cardLeft, screenWidth - margin - badgeWidth))
}
