import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../server/src/config.ts'

describe('operations settings (README: Configuration)', () => {
  it('RETAIN_DAYS and METRICS_PORT are off unless set; METRICS_HOST defaults to loopback', () => {
    const config = parseConfig({})
    expect(config.retainDays).toBeNull()
    expect(config.metricsPort).toBeNull()
    expect(config.metricsHost).toBe('127.0.0.1')
    expect(parseConfig({ RETAIN_DAYS: ' ', METRICS_PORT: '' }).retainDays).toBeNull()
    expect(parseConfig({ RETAIN_DAYS: '90', METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toMatchObject({
      retainDays: 90,
      metricsPort: 9464,
      metricsHost: '10.0.0.5',
    })
  })

  it('an invalid value stops the start with a message naming the variable', () => {
    expect(() => parseConfig({ RETAIN_DAYS: '0' })).toThrow(/RETAIN_DAYS: must be an integer from 1 to 36500, got "0"/)
    expect(() => parseConfig({ RETAIN_DAYS: '30d' })).toThrow(/RETAIN_DAYS/)
    expect(() => parseConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT: must be an integer from 0 to 65535/)
  })
})
