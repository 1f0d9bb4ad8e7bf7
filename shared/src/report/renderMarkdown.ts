import { escapeMarkdown } from './escape.ts'
import type { Block, Inline } from './reportDocument.ts'

function inline(parts: Inline[]): string {
  return parts.map((p) => (typeof p === 'string' ? escapeMarkdown(p) : `**${escapeMarkdown(p.strong.trim())}** `)).join('').trim()
}

/** The document as CommonMark / GitHub Markdown (tables as pipe tables, several cards in a cell joined by "; "). */
export function renderMarkdown(blocks: readonly Block[]): string {
  const out: string[] = []
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`)
        break
      case 'fields':
        out.push(b.items.map(([k, v]) => `- **${escapeMarkdown(k)}:** ${escapeMarkdown(v)}`).join('\n'))
        break
      case 'paragraph':
        out.push(inline(b.content))
        break
      case 'list':
        out.push(b.items.map((i) => `- ${inline(i)}`).join('\n'))
        break
      case 'table': {
        const row = (cells: string[]) => `| ${cells.join(' | ')} |`
        out.push(
          [
            row(b.header.map(escapeMarkdown)),
            row(b.header.map(() => '---')),
            ...b.rows.map((r) => row([`**${escapeMarkdown(r.label)}**`, ...r.cells.map((c) => (c.length === 0 ? '—' : c.map(escapeMarkdown).join('; ')))])),
          ].join('\n'),
        )
        break
      }
      case 'image':
        // Markdown has no place for the stored SVG; the HTML report embeds it
        break
    }
  }
  return `${out.join('\n\n')}\n`
}
