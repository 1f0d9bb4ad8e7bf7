/** Escaping of user-written text for each output. Every text that came from a board or a person goes through one. */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML[c] ?? c)
}

/**
 * Text for Markdown: Markdown's own syntax characters get a backslash, and `<`, `>`, `&` become entities, because
 * Markdown renderers pass raw HTML through (a card saying `<script>` must stay a text in every renderer).
 * Line breaks become " / ": a card is one list item or one table cell.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' / ')
    // brackets are escaped, so parentheses can never form a link: they stay readable
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML[c] ?? c)
    .replace(/^(\s*)([-=+>]|\d+\.)/, (_m, space: string, mark: string) => `${space}\\${mark}`)
}
