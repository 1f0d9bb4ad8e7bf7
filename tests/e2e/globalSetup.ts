import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_PATH } from '../helpers/chromium.ts'

/**
 * Runs once before the browser suite: checks that Debian's chromium is installed, then builds the client into
 * dist/client (the test server serves it, like `npm start`).
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
        'Install it with: apt-get update && apt-get install -y chromium   (.ci/run does this on a clean machine).',
    )
  }
  const root = fileURLToPath(new URL('../..', import.meta.url))
  execFileSync('npx', ['vite', 'build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // vitest runs with NODE_ENV=test; without this the build would be React's and tldraw's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  })
}
