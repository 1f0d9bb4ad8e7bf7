/**
 * WCAG 2.x contrast between two sRGB colours (`#rrggbb`): 1 (same) to 21 (black on white). Text needs 4.5:1
 * (1.4.3), parts of the interface 3:1 (1.4.11). Pure; used by the tests that hold the presence palette and the
 * badges to those thresholds, in Node and in the browser.
 */
export function relativeLuminance(hex: string): number {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (match === null) throw new Error(`not a #rrggbb colour: ${hex}`)
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** `rgb(r, g, b)` / `rgba(r, g, b, a)` as a browser's computed style gives it, to `#rrggbb` (alpha ignored). */
export function cssRgbToHex(rgb: string): string {
  const parts = /rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/.exec(rgb)
  if (parts === null) throw new Error(`not an rgb() colour: ${rgb}`)
  return `#${parts.slice(1, 4).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`
}
