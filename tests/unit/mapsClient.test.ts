/**
 * The maps' pure client helpers: where a new map goes (freePlace.ts), the report request and the HTML report's
 * CSP (reportApi.ts), and the words of a card's badge (meaningText.ts).
 */
import { describe, expect, test } from 'vitest'
import { findFreePlace, type Box } from '../../client/src/maps/freePlace.ts'
import { badgeLines, meaningLabels } from '../../client/src/maps/meaningText.ts'
import { reportFileName, reportPath, withReportCsp } from '../../client/src/maps/reportApi.ts'
import type { CardMeaning } from '../../shared/src/maps/meaning.ts'
import { getTemplate } from '../../shared/src/maps/templates.ts'

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('findFreePlace', () => {
  const view: Box = { x: 0, y: 0, w: 2000, h: 1200 }
  const size = { w: 800, h: 600 }

  test('an empty view: centred in it', () => {
    expect(findFreePlace(size, view, [])).toEqual({ x: 600, y: 300 })
  })

  test('never on top of what is there, with the gap kept, and as near the view centre as it can', () => {
    const occupied: Box[] = [{ x: 500, y: 200, w: 1000, h: 800 }]
    const at = findFreePlace(size, view, occupied, 80)
    const placed = { ...at, ...size }
    expect(overlaps({ x: placed.x - 79, y: placed.y - 79, w: placed.w + 158, h: placed.h + 158 }, occupied[0]!)).toBe(false)
    // Beside the content, not somewhere far away.
    expect(Math.hypot(at.x + 400 - 1000, at.y + 300 - 600)).toBeLessThan(1400)
  })

  test('a crowded page: still a free spot, next to the content', () => {
    const occupied: Box[] = []
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) occupied.push({ x: i * 500 - 500, y: j * 400 - 400, w: 450, h: 350 })
    const at = findFreePlace(size, view, occupied)
    for (const b of occupied) expect(overlaps({ ...at, ...size }, b)).toBe(false)
  })
})

describe('report request', () => {
  test('the path names the format, the language and the source (latest: no version parameter)', () => {
    expect(reportPath('m1', 'html', 'live', 'it')).toBe('/api/meetings/m1/report?format=html&locale=it&version=live')
    expect(reportPath('m1', 'decidim', 3, 'en')).toBe('/api/meetings/m1/report?format=decidim&locale=en&version=3')
    expect(reportPath('m/1', 'md', null, 'it')).toBe('/api/meetings/m%2F1/report?format=md&locale=it')
  })

  test('file names are safe and say which board they come from', () => {
    expect(reportFileName('par-MEET-2025-09-622', 'live', 'md')).toBe('par-MEET-2025-09-622-live.md')
    expect(reportFileName('a b/c', 2, 'md')).toBe('a-b-c-v2.md')
    expect(reportFileName('///', null, 'md')).toBe('report-latest.md')
  })

  test('the HTML report keeps the server’s CSP inside the page (a blob URL has no headers): first thing in <head>', () => {
    const html = '<!doctype html><html><head><title>x</title></head><body><p>&lt;script&gt;</p></body></html>'
    const out = withReportCsp(html)
    expect(out).toContain(`<head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>`)
    expect(withReportCsp('<p>no head</p>').startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true)
  })
})

describe('badge words', () => {
  const actors = getTemplate('actors')!
  const programme = getTemplate('programme')!
  const base = { frameId: 'shape:f', overridden: [] }

  test('category then level, in the person’s language; what the position does not say is left out', () => {
    const m: CardMeaning = { ...base, templateId: 'actors', kind: 'actors', category: 'reti-solidali', level: 'nucleo-fondativo' }
    expect(meaningLabels(actors, m, 'it', 'Fase')).toEqual(['Reti solidali attive', 'Nucleo fondativo'])
    expect(meaningLabels(actors, m, 'en', 'Phase')).toEqual(['Active solidarity networks', 'Founding core'])
    expect(meaningLabels(actors, { ...m, level: null }, 'it', 'Fase')).toEqual(['Reti solidali attive'])
  })

  test('phases are numbered as on the map', () => {
    const phase = programme.kind === 'programme' ? programme.phases[1]! : null
    const row = programme.kind === 'programme' ? programme.rows[3]! : null
    const m: CardMeaning = { ...base, templateId: 'programme', kind: 'programme', phase: phase!.id, row: row!.id }
    expect(meaningLabels(programme, m, 'it', 'Fase')).toEqual([`Fase 2 · ${phase!.label.it}`, row!.label.it])
    // Under the card, one short line: the phase's name is in the column header just above.
    expect(badgeLines(programme, m, 'it', 'Fase')).toEqual([`Fase 2 · ${row!.label.it}`])
    expect(badgeLines(programme, { ...m, row: null }, 'en', 'Phase')).toEqual(['Phase 2'])
    expect(badgeLines(programme, { ...m, phase: null, row: null }, 'it', 'Fase')).toEqual([])
  })

  test('other maps: one badge line per field', () => {
    const m: CardMeaning = { ...base, templateId: 'actors', kind: 'actors', category: 'cittadinanza', level: null }
    expect(badgeLines(actors, m, 'it', 'Fase')).toEqual(['Cittadinanza da attivare'])
  })
})
