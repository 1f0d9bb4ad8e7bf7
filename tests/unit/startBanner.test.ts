import { resolve } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseConfig } from '../../server/src/config.ts'
import { formatLogLine } from '../../server/src/log.ts'
import { localUrlFor, startBannerText, type StartFacts } from '../../server/src/startBanner.ts'

/** A banner line: the label, spaces to the column, the value (nothing after it). */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
const row = (label: string, value: string) => new RegExp(`^  ${escape(label)} +${escape(value)}$`, 'm')

const lanLaptop: StartFacts = {
  version: '0.1.0',
  port: 8080,
  listenHost: '0.0.0.0',
  publicUrl: null,
  participantOrigins: ['http://192.168.1.23:8080', 'http://10.0.0.5:8080'],
  staffLink: null,
  dataDir: './data',
}

describe('the start banner of npm start', () => {
  test('names the address for this computer, the one for participants, the staff page and the data directory', () => {
    const text = startBannerText(lanLaptop)
    expect(text).toMatch(row('Su questo computer (this computer)', 'http://localhost:8080'))
    expect(text).toMatch(row('Per chi partecipa (participants)', 'http://192.168.1.23:8080'))
    expect(text).toMatch(row('Altri indirizzi (other addresses)', 'http://10.0.0.5:8080'))
    expect(text).toMatch(row('Personale (staff)', 'http://localhost:8080/meetings'))
    expect(text).toMatch(row('Dati (data)', resolve('./data')))
    expect(text).not.toContain('solo questo computer')
    // short: a person reads it at a glance
    expect(text.split('\n').length).toBeLessThanOrEqual(14)
  })

  test('the staff slot prints the link it is given (the one that carries the staff token)', () => {
    const text = startBannerText({ ...lanLaptop, staffLink: 'http://localhost:8080/meetings#staff=s3cret' })
    expect(text).toMatch(row('Personale (staff)', 'http://localhost:8080/meetings#staff=s3cret'))
  })

  test('no network address: says "solo questo computer" and what to do', () => {
    const text = startBannerText({ ...lanLaptop, participantOrigins: [] })
    expect(text).toContain('nessun indirizzo di rete: solo questo computer')
    expect(text).toContain('PUBLIC_URL')
    expect(text).not.toContain('Altri indirizzi')
  })

  test('listening on loopback: only this computer, and the HOST that lets others in', () => {
    const text = startBannerText({ ...lanLaptop, listenHost: '127.0.0.1', participantOrigins: [] })
    expect(text).toMatch(row('Su questo computer (this computer)', 'http://127.0.0.1:8080'))
    expect(text).toContain('solo questo computer: HOST=127.0.0.1')
    expect(text).toContain('HOST=0.0.0.0')
  })

  test('PUBLIC_URL: participants use it, no LAN address is printed', () => {
    const text = startBannerText({ ...lanLaptop, publicUrl: 'https://tavolo.comune.example.it', participantOrigins: [] })
    expect(text).toMatch(row('Per chi partecipa (participants)', 'https://tavolo.comune.example.it'))
    expect(text).not.toContain('solo questo computer')
  })

  test('local URL of a specific or IPv6 host', () => {
    expect(localUrlFor('::', 8080)).toBe('http://localhost:8080')
    expect(localUrlFor('::1', 8080)).toBe('http://[::1]:8080')
    expect(localUrlFor('192.168.1.23', 80)).toBe('http://192.168.1.23:80')
  })
})

describe('LOG_FORMAT', () => {
  test('auto: text on a terminal (npm start), JSON for a service; text and json force it', () => {
    expect(parseConfig({}, { isTerminal: true }).logFormat).toBe('text')
    expect(parseConfig({}, { isTerminal: false }).logFormat).toBe('json')
    expect(parseConfig({ LOG_FORMAT: 'json' }, { isTerminal: true }).logFormat).toBe('json')
    expect(parseConfig({ LOG_FORMAT: 'text' }).logFormat).toBe('text')
    expect(() => parseConfig({ LOG_FORMAT: 'yaml' })).toThrow(/LOG_FORMAT/)
  })

  test('a text log line is time, level, message and the fields', () => {
    const line = JSON.stringify({ level: 40, time: '2026-12-01T08:40:12.345Z', service: 'tavolo', msg: 'compaction skipped', boardId: 'b1', count: 2 })
    expect(formatLogLine(line)).toBe('08:40:12  WARN   compaction skipped  boardId=b1  count=2')
    expect(formatLogLine(JSON.stringify({ level: 50, time: '2026-12-01T08:40:12Z', msg: 'failed', err: { message: 'boom', stack: '…' } }))).toBe(
      '08:40:12  ERROR  failed  error=boom',
    )
    expect(formatLogLine('not json\n')).toBe('not json')
  })
})
