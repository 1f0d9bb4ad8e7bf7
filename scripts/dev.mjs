// `npm run dev`: the Node server (tsx watch) on TAVOLO_DEV_SERVER_PORT and Vite with HMR, proxying to it.
import { spawn } from 'node:child_process'

const serverPort = process.env.TAVOLO_DEV_SERVER_PORT ?? '8787'
const env = { ...process.env, PORT: serverPort, TAVOLO_DEV_SERVER_PORT: serverPort }
const children = [
  spawn('npx', ['tsx', 'watch', 'server/src/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['vite', '--config', 'client/vite.config.ts'], { stdio: 'inherit', env }),
]
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) child.on('exit', (code) => { stop(); process.exitCode = code ?? 0 })
