/** The streaming shape scan of REST bodies (meetings SPEC B4): depth and items, strings skipped, any chunking. */
import { describe, expect, it } from 'vitest'
import { JsonShapeScanner } from '../../server/src/http/jsonBody.ts'

const limits = { maxDepth: 3, maxItems: 10 }

/** Scans `text` cut into chunks of `size` bytes; the first refusal, or null. */
function scan(text: string, size = text.length, scanLimits = limits) {
  const scanner = new JsonShapeScanner(scanLimits)
  const bytes = Buffer.from(text)
  for (let i = 0; i < bytes.length; i += Math.max(1, size)) {
    const refusal = scanner.feed(bytes.subarray(i, i + Math.max(1, size)))
    if (refusal !== null) return refusal
  }
  return null
}

describe('JsonShapeScanner (meetings SPEC B4)', () => {
  it('passes a body within the limits, whatever the chunking', () => {
    const body = JSON.stringify({ a: [1, { b: 2 }], c: 'x' })
    for (const size of [1, 2, 3, 7, body.length]) expect(scan(body, size), `chunks of ${size}`).toBeNull()
  })

  it('refuses one level too deep and one item too many, naming the limit', () => {
    expect(scan('[[[]]]')).toBeNull()
    expect(scan('[[[[]]]]')).toEqual({ limit: 'depth', max: 3 })
    expect(scan(`[${'1,'.repeat(9)}1]`)).toBeNull()
    expect(scan(`[${'1,'.repeat(10)}1]`)).toEqual({ limit: 'items', max: 10 })
    expect(scan('{"a":{"b":{"c":{}}}}')).toEqual({ limit: 'depth', max: 3 })
  })

  it('skips brackets, commas and escaped quotes inside strings, also when a chunk ends inside an escape', () => {
    const body = JSON.stringify({ text: '[[[[{{{{,,,,,,,,,,,,}}"\\\\"\\"[[[[', other: ',]]]]' })
    for (const size of [1, 2, 5, body.length]) expect(scan(body, size), `chunks of ${size}`).toBeNull()
    // a backslash that ends a string's content does not escape the closing quote
    expect(scan('["\\\\",[[[]]]]')).toEqual({ limit: 'depth', max: 3 })
  })

  it('a 32 MiB body is scanned in well under the event-loop budget per 64 KiB chunk', () => {
    const scanner = new JsonShapeScanner({ maxDepth: 64, maxItems: 10_000_000 })
    const chunk = Buffer.from(`{"id":"shape:abc","props":{"text":"ciao, [mondo]"},"x":1,"y":2},`.repeat(1024).slice(0, 65_536))
    scanner.feed(Buffer.from('['))
    const started = performance.now()
    for (let i = 0; i < 512; i++) expect(scanner.feed(chunk)).toBeNull()
    const perChunk = (performance.now() - started) / 512
    expect(perChunk).toBeLessThan(20)
  })
})
