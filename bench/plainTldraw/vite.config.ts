import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

// The plain tldraw reference of bench/phoneOpen.ts: the same build settings as client/vite.config.ts.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: { emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  optimizeDeps: { exclude: ['@tldraw/assets'] },
})
