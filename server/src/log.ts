import { pino } from 'pino'
import type { Config } from './config.ts'

export type Logger = pino.Logger

/**
 * The server's structured logger: JSON lines, or (`logFormat: 'text'`) the same entries as readable lines. Never give
 * it a URL with its query string (keys travel as `?k=`): log `url.pathname` only. The serializers below drop query
 * strings from anything that looks like a request.
 */
export function createLogger(
  config: Pick<Config, 'logLevel'> & { logFormat?: Config['logFormat'] },
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'tavolo' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['key', 'k', 'token', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
  }
  if (config.logFormat === 'text') {
    const out = destination ?? pino.destination(1)
    return pino(options, { write: (line: string) => out.write(`${formatLogLine(line)}\n`) })
  }
  return destination ? pino(options, destination) : pino(options)
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const NOT_SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg'])

/** One pino JSON line as a person reads it: `08:40:12 WARN  message  key=value`. Anything unparsable is kept as is. */
export function formatLogLine(json: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json.trimEnd()
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : ''
  const level = (LEVEL_NAMES[entry.level as number] ?? String(entry.level)).padEnd(5)
  const fields = Object.entries(entry)
    .filter(([key]) => !NOT_SHOWN.has(key))
    .map(([key, value]) => {
      if (key === 'err' && typeof value === 'object' && value !== null && 'message' in value) return `error=${String(value.message)}`
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`
    })
  return [time, level, String(entry.msg ?? ''), ...fields].filter((part) => part !== '').join('  ')
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
