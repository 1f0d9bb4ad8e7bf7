import type { HtmlTagDescriptor, Plugin, Rollup } from 'vite'

type OutputBundle = Rollup.OutputBundle
type OutputChunk = Rollup.OutputChunk

/** The meta element naming the board's fonts (read by client/src/app/boardFontPreload.ts). */
const BOARD_FONTS_META = 'tavolo-board-fonts'
/** tldraw 5.4.2's regular faces of its "draw" (notes) and "sans" (the maps' texts) fonts, by file name. */
const FIRST_RENDER_FONTS = [/(^|\/)Shantell_Sans-Informal_Regular-[^/]*\.woff2$/, /(^|\/)IBMPlexSans-Medium-[^/]*\.woff2$/]

/**
 * Adds to the built index.html what a board's first paint needs and the browser would otherwise find late
 * (issue 13 part 3):
 * - `modulepreload` for the app chunk (`appEntry`, imported by main.tsx once the boot requests are started) and the
 *   chunks it imports statically, and its CSS as a stylesheet: downloaded alongside the small boot chunk instead of
 *   after it has run;
 * - the addresses of the fonts a board's first render waits for in a `<meta name="tavolo-board-fonts">`: before it
 *   mounts the editor, tldraw loads the font faces of the shapes on the page, and asks for them only once its code
 *   has run; the boot chunk preloads them from this list on board pages only (app/boardFontPreload.ts), so they
 *   download while that code is evaluated. Only the two regular faces (FIRST_RENDER_FONTS): cards (tldraw's "draw"
 *   font) and the maps' texts ("sans"); the 14 other files (bold, italic, mono, serif) tldraw loads itself once the
 *   editor is mounted, as plain tldraw does: preloading all 16 cost the phone ~1.2 MB before its first paint and a
 *   main-thread stall in the boot chunk (issue 19). Preload links in the HTML itself would also load them on the
 *   pages without a board (home, meeting list), where the browser warns that they were preloaded and never used.
 * All same-origin links: nothing the page's CSP (server/src/http/securityHeaders.ts) does not already allow.
 */
export function preloadFirstPaint(appEntry: string): Plugin {
  return {
    name: 'tavolo-preload-first-paint',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle
        if (!bundle) return []
        const app = Object.values(bundle).find(
          (item): item is OutputChunk => item.type === 'chunk' && (item.facadeModuleId?.endsWith(appEntry) ?? false),
        )
        if (!app) throw new Error(`preloadFirstPaint: no chunk for ${appEntry} in the bundle`)
        const base = ctx.server?.config.base ?? '/'
        const tags: HtmlTagDescriptor[] = []
        for (const chunk of staticClosure(app, bundle)) {
          if (chunk.isEntry || html.includes(chunk.fileName)) continue // the page's script tag, or already preloaded by Vite
          tags.push({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: base + chunk.fileName }, injectTo: 'head' })
          for (const css of chunk.viteMetadata?.importedCss ?? []) {
            tags.push({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: base + css }, injectTo: 'head' })
          }
        }
        const fonts = Object.values(bundle)
          .filter((item) => item.type === 'asset' && FIRST_RENDER_FONTS.some((name) => name.test(item.fileName)))
          .map((item) => base + item.fileName)
        if (fonts.length !== FIRST_RENDER_FONTS.length) throw new Error(`preloadFirstPaint: expected ${FIRST_RENDER_FONTS.length} first-render fonts, found ${fonts.join(', ') || 'none'} (tldraw's font files renamed?)`)
        tags.push({ tag: 'meta', attrs: { name: BOARD_FONTS_META, content: fonts.join(' ') }, injectTo: 'head' })
        return tags
      },
    },
  }
}

/** The chunk and every chunk it imports statically, each once. */
function staticClosure(start: OutputChunk, bundle: OutputBundle): OutputChunk[] {
  const seen = new Map<string, OutputChunk>()
  const visit = (chunk: OutputChunk) => {
    if (seen.has(chunk.fileName)) return
    seen.set(chunk.fileName, chunk)
    for (const name of chunk.imports) {
      const next = bundle[name]
      if (next?.type === 'chunk') visit(next)
    }
  }
  visit(start)
  return [...seen.values()]
}
