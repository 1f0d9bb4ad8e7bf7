import { useEditor, useValue } from 'tldraw'
import { getTemplate } from '../../../shared/src/maps/index.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { currentPageMapIndex } from './boardMeanings.ts'
import { badgeLines, meaningLabels } from './meaningText.ts'
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
}

/**
 * What each card means on its map (category and level, facet, phase and row, instrument type), as a small badge
 * just under the card's bottom-left corner (never over the card's own text), like the lock badge (LockBadges.tsx): in front of the canvas, in screen
 * coordinates, `pointer-events: none` so it never gets in the way of a drag. Only cards in view get one.
 * A ✎ marks a meaning chosen by hand (it wins over the position).
 */
export function MapBadges({ large = false }: { large?: boolean }) {
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
        const template = getTemplate(meaning.templateId)
        if (!template) continue
        const labels = meaningLabels(template, meaning, locale, phaseWord)
        if (labels.length === 0) continue
        const lines = badgeLines(template, meaning, locale, phaseWord)
        const bounds = editor.getShapePageBounds(shape)
        if (!bounds) continue
        const corner = editor.pageToViewport({ x: bounds.minX, y: bounds.maxY })
        const width = bounds.w * editor.getZoomLevel()
        if (width < MIN_CARD_PX) continue
        // An instrument's type is always chosen (nothing in the architecture is read from the position): no ✎ there.
        const manual = meaning.kind !== 'architecture' && meaning.overridden.length > 0
        out.push({ id: shape.id, x: corner.x, y: corner.y, width, lines, labels, manual })
      }
      return out
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
            style={{ transform: `translate(${Math.round(b.x)}px, ${Math.round(b.y + 3)}px)`, maxWidth: Math.round((large ? 1.7 : 1) * Math.max(150, Math.min(240, b.width + 60))) }}
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

/** The projector's badges: the same, larger, to be read from the back of the room (no other map controls there). */
export function ProjectorMapBadges() {
  return (
    <div className="tavolo-map-badges-projector">
      <MapBadges large />
    </div>
  )
}
