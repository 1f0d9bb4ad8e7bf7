import { escapeHtml } from './escape.ts'
import type { Block, Inline } from './reportDocument.ts'

export interface HtmlOptions {
  /** SVG documents by frame id, embedded as data: images (an SVG in an <img> runs no script). */
  images?: ReadonlyMap<string, string>
  /**
   * 'table' (default) writes HTML tables; 'list' writes each table row as a list item, for editors that drop
   * tables (Decidim's rich text).
   */
  tables?: 'table' | 'list'
}

function inline(parts: Inline[]): string {
  return parts.map((p) => (typeof p === 'string' ? escapeHtml(p) : `<strong>${escapeHtml(p.strong)}</strong>`)).join('')
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 of the UTF-8 bytes of a text (shared/ runs without DOM or Node globals: no btoa, no Buffer). */
export function base64Utf8(text: string): string {
  const bytes: number[] = []
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if (c < 0x80) bytes.push(c)
    else if (c < 0x800) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else bytes.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  const out: string[] = []
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]]
    const n = (a << 16) | (b << 8) | c
    out.push(B64[(n >> 18) & 63] ?? '', B64[(n >> 12) & 63] ?? '')
    out.push(i + 1 < bytes.length ? (B64[(n >> 6) & 63] ?? '') : '=', i + 2 < bytes.length ? (B64[n & 63] ?? '') : '=')
  }
  return out.join('')
}

/** The document's body as HTML elements (no <html> page around it). */
export function renderHtmlFragment(blocks: readonly Block[], options: HtmlOptions = {}): string {
  const out: string[] = []
  for (const b of blocks) {
    switch (b.type) {
      case 'heading':
        out.push(`<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`)
        break
      case 'fields':
        out.push(`<ul class="fields">${b.items.map(([k, v]) => `<li><strong>${escapeHtml(k)}:</strong> ${escapeHtml(v)}</li>`).join('')}</ul>`)
        break
      case 'paragraph':
        out.push(`<p>${inline(b.content)}</p>`)
        break
      case 'list':
        out.push(`<ul>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`)
        break
      case 'table':
        if (options.tables === 'list') {
          const columns = b.header.slice(1)
          out.push(
            `<ul>${b.rows
              .map((r) => {
                const parts = r.cells.map((c, i) => `${escapeHtml(columns[i] ?? '')}: ${c.length === 0 ? '—' : c.map(escapeHtml).join('; ')}`)
                return `<li><strong>${escapeHtml(r.label)}</strong> — ${parts.join('; ')}</li>`
              })
              .join('')}</ul>`,
          )
        } else {
          const cell = (cards: string[]) => (cards.length === 0 ? '—' : cards.length === 1 ? escapeHtml(cards[0] ?? '') : `<ul>${cards.map((card) => `<li>${escapeHtml(card)}</li>`).join('')}</ul>`)
          out.push(
            `<table><thead><tr>${b.header.map((x) => `<th scope="col">${escapeHtml(x)}</th>`).join('')}</tr></thead><tbody>${b.rows
              .map((r) => `<tr><th scope="row">${escapeHtml(r.label)}</th>${r.cells.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
              .join('')}</tbody></table>`,
          )
        }
        break
      case 'image': {
        const svg = options.images?.get(b.frameId)
        if (svg !== undefined) out.push(`<figure><img src="data:image/svg+xml;base64,${base64Utf8(svg)}" alt="${escapeHtml(b.alt)}"></figure>`)
        break
      }
    }
  }
  return out.join('\n')
}

const STYLE = `
  :root { color-scheme: light; }
  body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: #1a1a1a;
    max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.8rem; margin-bottom: .5rem; }
  h2 { font-size: 1.4rem; border-bottom: 2px solid #444; padding-bottom: .2rem; margin-top: 2rem; }
  h3 { font-size: 1.2rem; margin-top: 1.6rem; }
  h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
  ul.fields { list-style: none; padding: 0; }
  table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .95rem; }
  th, td { border: 1px solid #888; padding: .35rem .5rem; vertical-align: top; text-align: left; }
  thead th { background: #eee; }
  td ul { margin: 0; padding-left: 1.1rem; }
  figure { margin: .5rem 0 1rem; }
  figure img { max-width: 100%; height: auto; border: 1px solid #ccc; }
  @media print {
    body { margin: 0; max-width: none; font-size: 11pt; }
    h2, h3, h4 { break-after: avoid; }
    table, figure, li { break-inside: avoid; }
    thead { display: table-header-group; }
    a { color: inherit; text-decoration: none; }
  }
`

/** A complete, printable HTML page. */
export function renderHtmlPage(blocks: readonly Block[], title: string, lang: string, options: HtmlOptions = {}): string {
  return htmlPage(renderHtmlFragment(blocks, options), title, lang)
}

/** A complete, printable HTML page around a body already written as HTML (every user text in it escaped). */
export function htmlPage(body: string, title: string, lang: string, extraStyle = ''): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}${extraStyle}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`
}
