import type { Editor, TLShape, TLShapeId } from 'tldraw'

export type ImageFormat = 'png' | 'svg'

/** What to put in an image: the whole current page, one frame (with what is inside it), or the selection. */
export type ExportScope = { kind: 'page' } | { kind: 'frame'; frameId: TLShapeId } | { kind: 'selection' }

/**
 * The frames at the top of the current page with their names, for the "only this frame" choice (top to bottom,
 * left to right, as people read them).
 */
export function exportableFrames(editor: Editor): Array<{ id: TLShapeId; name: string }> {
  const pageId = editor.getCurrentPageId()
  return editor
    .getCurrentPageShapes()
    .filter((s) => s.type === 'frame' && s.parentId === pageId)
    .map((s) => ({ shape: s, bounds: editor.getShapePageBounds(s) }))
    .sort((a, b) => (a.bounds?.minY ?? 0) - (b.bounds?.minY ?? 0) || (a.bounds?.minX ?? 0) - (b.bounds?.minX ?? 0))
    .map(({ shape }) => ({ id: shape.id, name: frameName(shape) }))
}

function frameName(shape: TLShape): string {
  const name = (shape.props as { name?: unknown }).name
  return typeof name === 'string' ? name.trim() : ''
}

function shapesFor(editor: Editor, scope: ExportScope): TLShapeId[] {
  switch (scope.kind) {
    case 'page':
      return [...editor.getCurrentPageShapeIds()]
    case 'frame':
      return editor.getShape(scope.frameId) ? [scope.frameId] : []
    case 'selection':
      return editor.getSelectedShapeIds()
  }
}

/**
 * An image of part of the board, made by tldraw in this browser (`getSvgString` / `toImage`). tldraw inlines the
 * fonts it finds in the page's own @font-face rules, which point at our self-hosted assets, so the file carries its
 * fonts and nothing is fetched from another host. Null when there is nothing to export.
 */
export async function boardImage(editor: Editor, scope: ExportScope, format: ImageFormat): Promise<Blob | null> {
  const ids = shapesFor(editor, scope)
  if (ids.length === 0) return null
  if (format === 'svg') {
    const result = await editor.getSvgString(ids, { background: true, padding: 32 })
    return result ? new Blob([result.svg], { type: 'image/svg+xml' }) : null
  }
  const { blob } = await editor.toImage(ids, { format: 'png', background: true, padding: 32, pixelRatio: 2 })
  return blob
}

/** The SVG text of one frame (for the report's map images); null when the frame is gone or empty. */
export async function frameSvg(editor: Editor, frameId: TLShapeId): Promise<string | null> {
  if (!editor.getShape(frameId)) return null
  const result = await editor.getSvgString([frameId], { background: true, padding: 16 })
  return result?.svg ?? null
}

/** Hands a file to the browser's downloads (an object URL on a temporary link). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Some browsers read the URL after the click event returns: free it a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Letters without accents, digits and dashes, lower case (safe in a file name on every system). */
function slug(text: string, max: number): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .toLowerCase()
}

/** A file name from the meeting's reference or title and what it holds ("versione-3-proposte"); never empty. */
export function exportFileName(base: string | null | undefined, suffix: string, extension: string): string {
  const name = [slug(base ?? '', 60) || 'lavagna', slug(suffix, 60)].filter(Boolean).join('-')
  return `${name}.${extension}`
}
