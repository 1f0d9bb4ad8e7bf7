/**
 * Plain text of tldraw's rich text (TipTap JSON: `{ type: 'doc', content: [{ type: 'paragraph', content: [...] }] }`)
 * and of a shape record, for the version diff, the maps and the report. Pure and forgiving: the records come from
 * boards and files, so anything that is not the expected shape yields '' instead of throwing.
 */

/** Block nodes end a line; everything else flows inline. */
const BLOCK_TYPES = new Set(['paragraph', 'heading', 'listItem', 'bulletList', 'orderedList', 'blockquote', 'codeBlock'])

function collect(node: unknown, out: string[], depth: number): void {
  // rich text from a file may be nested absurdly deep: stop rather than overflow the stack
  if (depth > 100 || typeof node !== 'object' || node === null) return
  const { type, text, content } = node as { type?: unknown; text?: unknown; content?: unknown }
  if (type === 'text' && typeof text === 'string') {
    out.push(text)
    return
  }
  if (type === 'hardBreak') {
    out.push('\n')
    return
  }
  if (Array.isArray(content)) {
    for (const child of content) collect(child, out, depth + 1)
  }
  if (typeof type === 'string' && BLOCK_TYPES.has(type) && out.length > 0 && out[out.length - 1] !== '\n') out.push('\n')
}

/** The text of a TipTap document: blocks become lines, hard breaks too; trailing newlines are dropped. */
export function plainTextOfRichText(richText: unknown): string {
  const out: string[] = []
  collect(richText, out, 0)
  return out.join('').replace(/\n+$/, '')
}

/**
 * The text a person reads on a shape: its richText (notes, geo, text, arrows' labels), an older plain `text` prop,
 * or a frame's `name`. '' when it has none.
 */
export function plainTextOfShape(record: unknown): string {
  if (typeof record !== 'object' || record === null) return ''
  const props = (record as { props?: unknown }).props
  if (typeof props !== 'object' || props === null) return ''
  const { richText, text, name } = props as { richText?: unknown; text?: unknown; name?: unknown }
  if (richText !== undefined) return plainTextOfRichText(richText)
  if (typeof text === 'string') return text
  if (typeof name === 'string') return name
  return ''
}
