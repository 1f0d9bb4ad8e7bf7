import { pino } from 'pino'
import type { Config } from './config.ts'

export type Logger = pino.Logger

/**
 * The server's structured JSON logger. Never give it a URL with its query string (keys travel as `?k=`):
 * log `url.pathname` only. The serializers below drop query strings from anything that looks like a request.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'tavolo' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['key', 'k', 'token', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
  }
  return destination ? pino(options, destination) : pino(options)
}

/** A logger that writes nothing: for tests and tools. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' })
}

/** The path of a request URL without its query string: the only form of a URL that may be logged. */
export function pathOnly(url: string | undefined): string {
  if (url === undefined) return ''
  const q = url.search(/[?#]/)
  return q === -1 ? url : url.slice(0, q)
}
