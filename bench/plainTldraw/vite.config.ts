import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import { precompressAssets } from '../../client/build/precompressAssets.ts'

// The plain tldraw reference of bench/phoneOpen.ts: the same build settings as client/vite.config.ts, and its text
// assets precompressed the same way (served compressed by servePlain, as our server serves ours).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), precompressAssets()],
  build: { emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@tldraw/assets'] },
})
