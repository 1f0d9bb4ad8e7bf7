import { useEditor, useValue } from 'tldraw'
import { getTemplate } from '../../../shared/src/maps/index.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
import { badgeLines, meaningLabels } from './meaningText.ts'
import { badgeFontPx, badgeLeft, badgeWidthEstimate } from './badgeSize.ts'
import { labelTextPageSize } from '../meeting/showToFollower.ts'
import './maps.css'

/** Below this on-screen width a card is too small for a readable badge (zoomed far out): none is drawn. */
const MIN_CARD_PX = 56

interface Badge {
  id: string
  x: number
  y: number
  width: number
  /** What the badge shows. */
  lines: string[]
  /** What it means in full (title and accessible name). */
  labels: string[]
  manual: boolean
  /** Never wider than its card nor past the canvas's right edge (the projector's QR column is beyond it). */
  maxWidth: number
  /** Smaller than the card's own text (badgeSize.ts). */
  fontPx: number
}

// A badge's height per line (line height 1.25) plus its padding: enough to keep two badges apart.
const LINE_HEIGHT = 1.25
const PADDING_PX = 8
const heightOf = (b: Badge) => b.lines.length * Math.ceil(b.fontPx * LINE_HEIGHT) + PADDING_PX

/**
 * Badges never overlap: in reading order, one that would cover an earlier one is left out (the card's meaning stays
 * in "Testo della lavagna" and in the "Significato" control).
 */
function withoutOverlaps(badges: Badge[], screenWidth: number): Badge[] {
  const kept: Badge[] = []
  const sorted = [...badges].sort((a, b) => a.y - b.y || a.x - b.x)
  for (const b of sorted) {
    const maxWidth = Math.max(60, Math.min(Math.max(150, b.width), screenWidth - Math.max(b.x, 0) - 4))
    // On screen: a card at the screen's right edge gets its badge moved left, inside the screen.
    const x = badgeLeft(b.x, badgeWidthEstimate(b.lines, b.fontPx, maxWidth), screenWidth)
    const box = { x, y: b.y + 3, w: maxWidth, h: heightOf(b) }
    const overlaps = kept.some((k) => {
      const o = { x: k.x, y: k.y + 3, w: k.maxWidth, h: heightOf(k) }
      return box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h && o.y < box.y + box.h
    })
    if (!overlaps) kept.push({ ...b, x, maxWidth })
  }
  return kept
}

/**
 * What each card means on its map (category and level, facet, phase and row, instrument type), as a small badge
 * just under the card's bottom-left corner (never over the card's own text), like the lock badge (LockBadges.tsx): in front of the canvas, in screen
 * coordinates, `pointer-events: none` so it never gets in the way of a drag. Only cards in view get one.
 * A ✎ marks a meaning chosen by hand (it wins over the position).
 */
export function MapBadges() {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const phaseWord = t('maps.card.phase')
  const badges = useValue(
    'map badges',
    () => {
      const board = currentPageMapIndex(editor)
      if (!board) return []
      const culled = editor.getCulledShapes()
      const editing = editor.getEditingShapeId()
      const out: Badge[] = []
      for (const shape of board.shapes) {
        if (culled.has(shape.id) || shape.id === editing) continue
        const meaning = board.index.meaning(shape.id)
        if (!meaning) continue
        // The map's own headers already say what a position means: a badge only for a meaning chosen by hand, or
        // an instrument's type (nothing in the architecture is read from the position).
        const manual = meaning.kind !== 'architecture' && meaning.overridden.length > 0
        if (!manual && meaning.kind !== 'architecture') continue
        const template = getTemplate(meaning.templateId)
        if (!template) continue
        const labels = meaningLabels(template, meaning, locale, phaseWord)
        if (labels.length === 0) continue
        const lines = badgeLines(template, meaning, locale, phaseWord)
        const bounds = editor.getShapePageBounds(shape)
        if (!bounds) continue
        const corner = editor.pageToViewport({ x: bounds.minX, y: bounds.maxY })
        const zoom = editor.getZoomLevel()
        const width = bounds.w * zoom
        if (width < MIN_CARD_PX) continue
        const fontPx = badgeFontPx((labelTextPageSize(shape) ?? 0) * zoom)
        out.push({ id: shape.id, x: corner.x, y: corner.y, width, lines, labels, manual, maxWidth: width, fontPx })
      }
      return withoutOverlaps(out, editor.getViewportScreenBounds().w)
    },
    [editor, locale, phaseWord],
  )
  return (
    <>
      {badges.map((b) => {
        const text = b.labels.join(' · ')
        const described = `${text} (${b.manual ? t('maps.badge.manual') : t('maps.badge.auto')})`
        return (
          <div
            key={b.id}
            className={`tavolo-map-badge${b.manual ? ' tavolo-map-badge-manual' : ''}`}
            style={{ transform: `translate(${Math.round(b.x)}px, ${Math.round(b.y + 3)}px)`, maxWidth: b.maxWidth, fontSize: b.fontPx }}
            title={described}
            role="img"
            aria-label={described}
            data-testid="map-badge"
            data-shape-id={b.id}
            data-manual={b.manual ? 'true' : 'false'}
          >
            {b.lines.map((l, i) => (
              <span key={i} className="tavolo-map-badge-part">
                {b.manual && i === 0 && <span aria-hidden="true">✎ </span>}
                {l}
              </span>
            ))}
          </div>
        )
      })}
    </>
  )
}

/** The projector's badges: the same, small (the cards are what the room reads; no other map controls there). */
export function ProjectorMapBadges() {
  return (
    <div className="tavolo-map-badges-projector">
      <MapBadges />
    </div>
  )
}
