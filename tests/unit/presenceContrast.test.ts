// Contrast of what Tavolo colours on the board (issue 21: 1.4.3 text ≥ 4.5:1, 1.4.11 parts of the interface ≥ 3:1):
// the presence palette under tldraw's collaborator cursor labels (white name on the person's colour, on the board's
// background), and the badges drawn over the canvas. Colours are read from the real sources (tldraw's editor.css,
// Tavolo's CSS files), so a change to either is judged here. The browser check: tests/e2e/axe.test.ts (cursor labels).
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, test } from 'vitest'
import { contrastRatio, relativeLuminance } from '../../shared/src/presence/contrast.ts'
import { colorForUserId, isPresenceColor, PRESENCE_COLORS } from '../../client/src/identity/localPreferences.ts'

/** `hsl(h, s%, l%)` to `#rrggbb`. */
function hslToHex(hsl: string): string {
  const m = /hsl\(\s*([\d.]+)\s*,\s*([\d.]+)%\s*,\s*([\d.]+)%\s*\)/.exec(hsl)
  if (m === null) throw new Error(`not hsl(): ${hsl}`)
  const [h, s, l] = [Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100]
  const a = s * Math.min(l, 1 - l)
  const f = (n: number) => {
    const k = (n + h / 30) % 12
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))))
  }
  return `#${[f(0), f(8), f(4)].map((v) => v.toString(16).padStart(2, '0')).join('')}`
}

const require = createRequire(import.meta.url)
const tldrawCss = readFileSync(require.resolve('@tldraw/editor/editor.css'), 'utf8')
/** A custom property of tldraw's light theme (the first definition in editor.css). */
function tldrawVar(name: string): string {
  const m = new RegExp(`${name}:\\s*([^;]+);`).exec(tldrawCss)
  if (m === null) throw new Error(`${name} not in tldraw's editor.css`)
  return hslToHex(m[1]!.trim())
}

/** The `property` of the rule whose selector is exactly `selector` in a Tavolo CSS file. */
function cssValue(file: string, selector: string, property: 'background' | 'color'): string | null {
  const css = readFileSync(file, 'utf8')
  const escaped = selector.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const rule = new RegExp(`(?:^|\\n)${escaped}\\s*\\{([^}]*)\\}`).exec(css)
  if (rule === null) throw new Error(`${selector} not in ${file}`)
  const value = new RegExp(`(?:^|[;\\s])${property}:\\s*#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\\b`).exec(rule[1]!)
  if (value === null) return null
  const hex = value[1]!.toLowerCase()
  return `#${hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex}`
}

describe('cursor labels (tldraw .tl-nametag: the name in --tl-color-selected-contrast on the person’s colour)', () => {
  const labelText = tldrawVar('--tl-color-selected-contrast')
  const board = tldrawVar('--tl-color-background')

  test('tldraw draws the name in white on a near-white board (what the palette is checked against)', () => {
    expect(labelText).toBe('#ffffff')
    expect(relativeLuminance(board)).toBeGreaterThan(0.9)
    expect(tldrawCss).toMatch(/\.tl-nametag \{[^}]*color: var\(--tl-color-selected-contrast\)/)
  })

  test.each(PRESENCE_COLORS)('%s: the name reads at 4.5:1 or more, the cursor stands out at 3:1 or more on the board', (color) => {
    expect(contrastRatio(labelText, color)).toBeGreaterThanOrEqual(4.5)
    expect(contrastRatio(board, color)).toBeGreaterThanOrEqual(3)
  })

  test('ten distinct colours; colours off the palette (older preferences, any peer) are not kept', () => {
    expect(new Set(PRESENCE_COLORS).size).toBe(10)
    // the old palette's lightest colours, which failed 4.5:1 under a white name
    for (const old of ['#f08c00', '#e8590c', '#5c940d', '#1c7ed6']) expect(isPresenceColor(old)).toBe(false)
    expect(isPresenceColor(colorForUserId('any-user-id-1234'))).toBe(true)
  })

  test('the contrast formula gives WCAG’s known values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2)
    expect(contrastRatio('#f08c00', '#ffffff')).toBeLessThan(3)
  })
})

describe('badges over the canvas: white text on their colour at 4.5:1 or more', () => {
  const badges: Array<[string, string, string]> = [
    ['client/src/app/app.css', '.tavolo-lock-badge', 'lock badge'],
    ['client/src/facilitation/facilitation.css', '.tavolo-vote-badge', 'vote result badge'],
    ['client/src/facilitation/facilitation.css', '.tavolo-vote-badge-mine', 'my dots badge'],
    ['client/src/maps/maps.css', '.tavolo-map-badge', 'meaning badge'],
    ['client/src/maps/maps.css', '.tavolo-map-badge-manual', 'meaning chosen by hand badge'],
  ]
  test.each(badges)('%s %s (%s)', (file, selector) => {
    const background = cssValue(file, selector, 'background')!
    expect(background).toMatch(/^#/)
    // the variants inherit the base badge's text colour
    const base = selector.replace(/-(mine|manual)$/, '')
    const color = cssValue(file, selector, 'color') ?? cssValue(file, base, 'color')!
    expect(contrastRatio(color, background)).toBeGreaterThanOrEqual(4.5)
  })
})
