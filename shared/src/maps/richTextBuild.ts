/** tldraw's rich text is TipTap JSON: a `doc` of paragraphs. This builds it from plain text, one paragraph a line. */
export interface RichTextDoc {
  type: 'doc'
  content: Array<{ type: 'paragraph'; content?: Array<{ type: 'text'; text: string }> }>
}

export function richTextFromPlain(text: string): RichTextDoc {
  return {
    type: 'doc',
    content: text.split('\n').map((line) => (line === '' ? { type: 'paragraph' } : { type: 'paragraph', content: [{ type: 'text', text: line }] })),
  }
}
