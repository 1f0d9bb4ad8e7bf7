import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_PATH } from '../helpers/chromium.ts'

/**
 * Runs once before the browser suite: checks that Debian's chromium is installed, then runs `npm run build` (the
 * client into dist/client, which the test servers serve like `npm start`; the server into dist/node; the build stamp).
 */
export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}, which is missing.\n` +
        'Install it with: apt-get update && apt-get install -y chromium   (.ci/run does this on a clean machine).',
    )
  }
  const root = fileURLToPath(new URL('../..', import.meta.url))
  // scripts/build.mjs sets NODE_ENV=production for Vite (vitest runs with NODE_ENV=test, which would give React's and
  // tldraw's development builds).
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
}
