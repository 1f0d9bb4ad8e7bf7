// `npm run build`: the browser app (Vite → dist/client) and the server compiled to JavaScript (tsc → dist/node), then
// the stamp `npm start` compares with the sources. Needs the dev dependencies (vite, typescript).
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, STAMP_FILE, packageVersion, sourceHash } from './buildStamp.mjs'

const started = Date.now()
const run = (args) =>
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })

rmSync(STAMP_FILE, { force: true })
run(['node_modules/vite/bin/vite.js', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'])
rmSync(join(ROOT, 'dist', 'node'), { recursive: true, force: true })
run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'])
// The worker threads are plain JavaScript loaded by URL next to the modules that start them.
const storeOut = join(ROOT, 'dist', 'node', 'server', 'src', 'store')
mkdirSync(storeOut, { recursive: true })
for (const worker of ['appendWorker.mjs']) copyFileSync(join(ROOT, 'server', 'src', 'store', worker), join(storeOut, worker))
// the boot script of the worker threads that run our TypeScript modules (compiled with the rest): threads/moduleWorker.ts
copyFileSync(join(ROOT, 'server', 'src', 'threads', 'workerBoot.mjs'), join(ROOT, 'dist', 'node', 'server', 'src', 'threads', 'workerBoot.mjs'))
writeFileSync(STAMP_FILE, `${JSON.stringify({ version: packageVersion(), sourceHash: sourceHash(), builtAt: new Date().toISOString() }, null, 2)}\n`)
console.log(`Built Tavolo ${packageVersion()} (dist/client, dist/node) in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
