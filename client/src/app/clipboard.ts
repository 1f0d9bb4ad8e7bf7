/**
 * Copies text to the clipboard. On plain http (a LAN workshop) the async clipboard is refused, so it falls back to
 * a hidden textarea and the legacy copy command, which still works inside a click.
 */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    const area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    let ok: boolean
    try {
      ok = document.execCommand('copy')
    } catch {
      ok = false
    }
    area.remove()
    return ok
  }
}

/**
 * Copies rich text: `html` for editors that take it (Decidim's rich-text editor keeps headings and lists), `text` for
 * everything else. The async clipboard takes both as one item; where it is refused (plain http on a LAN) the legacy
 * copy command fills both types from its copy event, which still works inside a click.
 */
export async function copyRichText(html: string, text: string): Promise<boolean> {
  try {
    if (typeof ClipboardItem === 'undefined') throw new Error('no ClipboardItem')
    const item = new ClipboardItem({
      'text/html': new Blob([html], { type: 'text/html' }),
      'text/plain': new Blob([text], { type: 'text/plain' }),
    })
    await navigator.clipboard.write([item])
    return true
  } catch {
    const fill = (e: ClipboardEvent) => {
      e.clipboardData?.setData('text/html', html)
      e.clipboardData?.setData('text/plain', text)
      e.preventDefault()
    }
    document.addEventListener('copy', fill)
    try {
      return document.execCommand('copy')
    } catch {
      return false
    } finally {
      document.removeEventListener('copy', fill)
    }
  }
}

/** Saves text as a file through the browser's download. */
export function downloadText(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.appendChild(link)
  link.click()
  link.remove()
  // The download has started from the click; the URL is no longer needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
