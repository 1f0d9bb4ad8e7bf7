import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/helpers/chromium.ts'
import type { BoardRef } from './boards.ts'


/** Playwright gives every launch a fresh temporary profile: no cache or IndexedDB survives from an earlier run. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
}

// Must match client/src/identity/localPreferences.ts (PREFERENCES_STORAGE_KEY and its schema): with a name stored,
// the board opens without asking for one, as it does for a returning participant.
const PREFERENCES_KEY = 'tavolo.preferences.v1'

/** A fresh context (own storage, like another person's browser) whose person already has a name. */
export async function personContext(browser: Browser, name: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options })
  // tsx compiles this file with esbuild's keepNames, which wraps inner functions in __name(); page scripts are
  // serialized from that output, so the page needs the helper too.
  await context.addInitScript({ content: 'window.__name = (fn) => fn' })
  const preferences = JSON.stringify({
    userId: `bench${name.replace(/[^A-Za-z0-9]/g, '')}00000000`,
    name,
    locale: 'it',
    tldrawLocale: null,
    tldraw: {},
  })
  await context.addInitScript(
    ([key, value]) => {
      if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value)
    },
    [PREFERENCES_KEY, preferences] as const,
  )
  return context
}

export function boardPageUrl(httpUrl: string, board: BoardRef): string {
  const key = board.params.k
  return `${httpUrl}/board/${board.room}${key === undefined ? '' : `#k=${encodeURIComponent(key)}`}`
}

/** Resolves when the board's editor is mounted (the client's documented test hook is set). */
export async function waitForEditor(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForFunction(() => window.__tavolo !== undefined, undefined, { timeout: timeoutMs, polling: 50 })
}
