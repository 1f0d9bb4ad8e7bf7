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
    chunkSizeWarningLimit: 4096,
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
