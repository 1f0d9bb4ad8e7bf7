/** Escaping of user-written text for each output. Every text that came from a board or a person goes through one. */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c] ?? c)
}

/**
 * Every line break a renderer may honour: CommonMark's (`\n`, `\r\n`, a lone `\r`) and the Unicode ones (vertical tab,
 * form feed, NEL, line and paragraph separators), with the spaces around them.
 */
const LINE_BREAKS = /[\s\u0085]*[\n\r\v\f\u0085\u2028\u2029][\s\u0085]*/g

/**
 * Text for Markdown: Markdown's own syntax characters get a backslash, and `<`, `>`, `&` become entities, because
 * Markdown renderers pass raw HTML through (a card saying `<script>` must stay a text in every renderer).
 * Line breaks of every kind become " / ": a card is one list item or one table cell, and can start no line of its own.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(LINE_BREAKS, ' / ')
    // brackets are escaped, so parentheses can never form a link: they stay readable
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML[c] ?? c)
    .replace(/^(\s*)([-=+>])/, (_m, space: string, mark: string) => `${space}\\${mark}`)
    // an ordered-list marker: only its punctuation can be escaped (a backslash before a digit would stay visible)
    .replace(/^(\s*\d+)([.)])/, (_m, number: string, mark: string) => `${number}\\${mark}`)
}
