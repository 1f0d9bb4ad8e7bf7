// `npm run dev`: the Node server (tsx watch) on TAVOLO_DEV_SERVER_PORT and Vite with HMR, proxying to it.
import { spawn } from 'node:child_process'

const serverPort = process.env.TAVOLO_DEV_SERVER_PORT ?? '8787'
// The pages come from Vite (client/vite.config.ts: port 5173, strict), so the links the server prints and puts in
// the share panel (staff link, meeting links, QR) must name Vite's address, not the server's own port.
const publicUrl = process.env.PUBLIC_URL ?? 'http://localhost:5173'
const env = { ...process.env, PORT: serverPort, TAVOLO_DEV_SERVER_PORT: serverPort, PUBLIC_URL: publicUrl }
// Each tool runs in a process group of its own, so stopping this script stops everything they started (tsx watch
// starts the server as a grandchild, which a signal to the direct child alone would leave running on its port).
// stdin is not theirs: a background process group reading the terminal would be stopped by it.
const run = (args) => spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env, detached: true })
const children = [
  run(['node_modules/tsx/dist/cli.mjs', 'watch', 'server/src/main.ts']),
  run(['node_modules/vite/bin/vite.js', '--config', 'client/vite.config.ts']),
]
let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      // that group has already exited
    }
  }
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) {
  child.on('exit', (code) => {
    stop()
    process.exitCode ||= code ?? 0
  })
}
