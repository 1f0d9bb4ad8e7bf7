import type { HtmlTagDescriptor, Plugin, Rollup } from 'vite'

type OutputBundle = Rollup.OutputBundle
type OutputChunk = Rollup.OutputChunk

/**
 * Adds to the built index.html what a board's first paint needs and the browser would otherwise find late
 * (issue 13 part 3):
 * - `modulepreload` for the app chunk (`appEntry`, imported by main.tsx once the boot requests are started) and the
 *   chunks it imports statically, and its CSS as a stylesheet: downloaded alongside the small boot chunk instead of
 *   after it has run;
 * - `preload` for the fonts: tldraw loads every font of its default set before it mounts the editor, and asks for
 *   them only once its code has run; preloaded, they download while that code is evaluated. `crossorigin` because
 *   fonts are fetched in CORS mode (else the browser downloads them twice).
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
        for (const item of Object.values(bundle)) {
          if (item.type === 'asset' && item.fileName.endsWith('.woff2')) {
            tags.push({
              tag: 'link',
              attrs: { rel: 'preload', as: 'font', type: 'font/woff2', crossorigin: true, href: base + item.fileName },
              injectTo: 'head',
            })
          }
        }
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
