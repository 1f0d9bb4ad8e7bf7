import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { precompressAssets } from './build/precompressAssets.ts'
import { preloadFirstPaint } from './build/preloadFirstPaint.ts'

const serverPort = Number(process.env.TAVOLO_DEV_SERVER_PORT ?? 8787)

// The browser app. `npm start` builds it into dist/client (served by the Node server);
// `npm run dev` serves it with HMR and proxies the API and the sync WebSocket to the Node server.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), preloadFirstPaint('/src/app/mountApp.tsx'), precompressAssets()],
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // tldraw's own code (tldraw + @tldraw/*, about 1.18 MB minified) is one chunk that every board needs at its first
    // paint, over Vite's default 500 KB; every other chunk is below 400 KB. A chunk past this limit is a regression.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own, apart from the app's code: an upgrade of Tavolo alone leaves the browser's
        // cached copy of tldraw, React and the rich-text editor valid. A participant's first paint needs all of them,
        // so this moves bytes between files, not out of the first paint.
        codeSplitting: {
          // each group holds what its test names; their own dependencies stay where they are shared from
          includeDependenciesRecursively: false,
          groups: [
            { name: 'tldraw', test: /node_modules[\\/](tldraw|@tldraw)[\\/]/, priority: 3 },
            { name: 'richtext', test: /node_modules[\\/](@tiptap|prosemirror-[^\\/]+|linkifyjs|orderedmap|rope-sequence|w3c-keyname)[\\/]/, priority: 2 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  // @tldraw/assets breaks Vite's dependency pre-bundling (stack notes): let Vite serve it as plain ESM.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  server: {
    // scripts/dev.mjs gives the server this address as PUBLIC_URL: another port would make every printed link wrong.
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/healthz': `http://127.0.0.1:${serverPort}`,
      '/sync': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
    },
  },
})
