/**
 * Board pages only: preloads the fonts tldraw waits for before it mounts the editor on a usual board (the regular
 * faces of cards and maps; their addresses are in the `<meta name="tavolo-board-fonts">` the build writes:
 * client/build/preloadFirstPaint.ts), so they download while
 * tldraw's code is fetched and evaluated. Other pages (home, meeting list, versions) never preload them: the
 * browser would warn that they were preloaded and not used. `crossorigin` because fonts are fetched in CORS mode
 * (else the browser downloads them twice). Runs in the boot chunk: no tldraw, no React.
 */
export function preloadBoardFonts(doc: Document): void {
  const list = doc.querySelector<HTMLMetaElement>('meta[name="tavolo-board-fonts"]')?.content ?? ''
  for (const href of list.split(' ')) {
    if (!href.startsWith('/') || href.startsWith('//')) continue // own origin only
    const link = doc.createElement('link')
    link.rel = 'preload'
    link.as = 'font'
    link.type = 'font/woff2'
    link.crossOrigin = 'anonymous'
    link.href = href
    doc.head.appendChild(link)
  }
}
