/**
 * `count` notes with short texts on a 50-wide grid, as plain shape partials a page passes to `createShapes`. Pure
 * data with no import, so that both Node (bench) and the plain tldraw reference page can use it.
 */
export function benchNoteShapes(count: number, idPrefix: string): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `shape:${idPrefix}${i}`,
    type: 'note',
    x: (i % 50) * 240,
    y: Math.floor(i / 50) * 240,
    props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Idea ${i}` }] }] } },
  }))
}
