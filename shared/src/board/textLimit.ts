/**
 * How much text one shape (a card, a text box, an arrow's label) may hold: MAX_SHAPE_TEXT characters of its plain
 * text (plainTextOfShape, line breaks included). A pasted page of 20,000 characters made a card tens of thousands of
 * units tall, over three maps on everyone's screen; a card is a few words, a long note a paragraph or two.
 * The writer's board keeps what they type within it and says so (client/src/board/textLimit.ts); the server cuts a
 * participant's longer text back to it (server/src/meetings/textLimitGuard.ts). Pure.
 */
import { plainTextOfShape } from './richText.ts'

export const MAX_SHAPE_TEXT = 1000

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'listItem', 'bulletList', 'orderedList', 'blockquote', 'codeBlock'])

/** True when the shape's text is longer than MAX_SHAPE_TEXT (or `max`). */
export function shapeTextTooLong(record: unknown, max = MAX_SHAPE_TEXT): boolean {
  return plainTextOfShape(record).length > max
}

/**
 * A TipTap document cut so that its plain text (plainTextOfRichText) is at most `max` characters: text nodes are
 * cut, later nodes dropped, marks and structure before the cut kept. Counting follows plainTextOfRichText: a text
 * node its length, a hard break one, the end of a block one (the last one is never counted there: a margin).
 */
export function truncateRichText(richText: unknown, max = MAX_SHAPE_TEXT): unknown {
  let budget = max
  const cut = (node: unknown, depth: number): unknown => {
    if (depth > 100 || typeof node !== 'object' || node === null || budget <= 0) return null
    const n = node as { type?: unknown; text?: unknown; content?: unknown }
    if (n.type === 'text' && typeof n.text === 'string') {
      const chars = Array.from(n.text)
      if (chars.length <= budget) {
        budget -= chars.length
        return node
      }
      const kept = chars.slice(0, budget).join('')
      budget = 0
      return { ...n, text: kept }
    }
    if (n.type === 'hardBreak') {
      budget -= 1
      return node
    }
    let out: Record<string, unknown> = { ...n }
    if (Array.isArray(n.content)) {
      const children: unknown[] = []
      for (const child of n.content) {
        if (budget <= 0) break
        const kept = cut(child, depth + 1)
        if (kept !== null) children.push(kept)
      }
      out = { ...out, content: children }
    }
    if (typeof n.type === 'string' && BLOCK_TYPES.has(n.type)) budget -= 1
    return out
  }
  // the document node itself is always kept, even emptied: tldraw needs a doc
  const doc = cut(richText, 0)
  return doc ?? { type: 'doc', content: [{ type: 'paragraph' }] }
}

/** The shape with its text cut to `max` characters; the same object when it already fits or has no text. */
export function boundShapeText<T>(record: T, max = MAX_SHAPE_TEXT): T {
  if (!shapeTextTooLong(record, max)) return record
  const props = (record as { props: Record<string, unknown> }).props
  if (props.richText !== undefined) return { ...record, props: { ...props, richText: truncateRichText(props.richText, max) } }
  if (typeof props.text === 'string') return { ...record, props: { ...props, text: Array.from(props.text).slice(0, max).join('') } }
  if (typeof props.name === 'string') return { ...record, props: { ...props, name: Array.from(props.name).slice(0, max).join('') } }
  return record
}
