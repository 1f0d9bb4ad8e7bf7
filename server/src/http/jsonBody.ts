/**
 * The one reader of REST request bodies (meetings SPEC B1..B6). Mounted on a route after its access check (B1), so
 * nobody without the right credential gets a byte read. It refuses compressed bodies (an inflated body is not bounded
 * by what crossed the wire), stops reading at the route's byte limit, and scans the bytes as they arrive for the
 * route's nesting depth and item count, so that `JSON.parse` (and the schema after it) only ever sees a body of the
 * shape that route takes: no deep or huge structure reaches the parser, and the scan costs one pass per chunk.
 */
import type { Request, RequestHandler } from 'express'
import { ApiError } from './apiError.ts'

export interface JsonBodyLimits {
  /** Largest body in bytes, as sent (B3). */
  maxBytes: number
  /** Deepest nesting of objects and arrays; the top-level object is depth 1 (B4). */
  maxDepth: number
  /** Most items: objects, arrays and the members or elements after the first of each, i.e. the commas (B4). */
  maxItems: number
}

/** Why a scan stopped a body, for the message. */
type ScanRefusal = { limit: 'depth'; max: number } | { limit: 'items'; max: number }

/**
 * A streaming scanner of JSON bytes: tracks strings (so brackets and commas inside them do not count), the nesting
 * depth and the number of items, and says which limit a chunk crossed. It does not validate JSON: JSON.parse does,
 * once the whole body is known to be of a bounded shape.
 */
export class JsonShapeScanner {
  private depth = 0
  private items = 0
  private inString = false
  private escaped = false

  constructor(private readonly limits: Pick<JsonBodyLimits, 'maxDepth' | 'maxItems'>) {}

  /** Feeds the next bytes; returns the limit they crossed, or null. */
  feed(chunk: Uint8Array): ScanRefusal | null {
    const { maxDepth, maxItems } = this.limits
    let { depth, items, inString, escaped } = this
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!
      if (inString) {
        if (escaped) escaped = false
        else if (byte === 0x5c) escaped = true
        else if (byte === 0x22) inString = false
        continue
      }
      switch (byte) {
        case 0x22: // "
          inString = true
          break
        case 0x7b: // {
        case 0x5b: // [
          depth++
          items++
          if (depth > maxDepth) return { limit: 'depth', max: maxDepth }
          if (items > maxItems) return { limit: 'items', max: maxItems }
          break
        case 0x7d: // }
        case 0x5d: // ]
          depth--
          break
        case 0x2c: // ,
          items++
          if (items > maxItems) return { limit: 'items', max: maxItems }
          break
      }
    }
    this.depth = depth
    this.items = items
    this.inString = inString
    this.escaped = escaped
    return null
  }
}

/** The refusal of a body that crossed a shape limit: 400 `invalid_body` naming the limit (B4). */
function shapeError(refusal: ScanRefusal): ApiError {
  return refusal.limit === 'depth'
    ? new ApiError('invalid_body', `the body nests objects and arrays deeper than ${refusal.max} levels, the most this route takes`)
    : new ApiError('payload_too_large', `the body has more than ${refusal.max} JSON items (objects, arrays and their members), the most this route takes`)
}

/** True when the request announces a body (Content-Length above 0, or chunked). */
export function hasBody(req: Request): boolean {
  const length = req.headers['content-length']
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}

/** The refusal for the request's headers before reading (B2, B3), or null when its body may be read. */
function refuseHeaders(req: Request, maxBytes: number): ApiError | null {
  if (req.is('application/json') !== 'application/json') {
    return new ApiError('unsupported_media_type', 'the body must be JSON (Content-Type: application/json)')
  }
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase()
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return new ApiError('unsupported_media_type', 'the body must be UTF-8 JSON')
  }
  const encoding = (req.headers['content-encoding'] ?? '').trim().toLowerCase()
  if (encoding !== '' && encoding !== 'identity') {
    return new ApiError(
      'unsupported_media_type',
      `compressed request bodies are not accepted (Content-Encoding: ${encoding.slice(0, 40)}): send the JSON uncompressed`,
    )
  }
  const length = Number(req.headers['content-length'])
  if (Number.isFinite(length) && length > maxBytes) return tooLarge(maxBytes)
  return null
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError('payload_too_large', `the body is larger than ${maxBytes} bytes, the most this route takes`)
}

/**
 * Reads the body within the limits; resolves with its bytes (an empty buffer when the request has none). On a
 * refusal the rest of the body is drained unread: no scanning, no buffering.
 */
function readBounded(req: Request, limits: JsonBodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (!hasBody(req)) return resolve(Buffer.alloc(0))
    const refused = refuseHeaders(req, limits.maxBytes)
    if (refused !== null) return reject(refused)
    const scanner = new JsonShapeScanner(limits)
    const chunks: Buffer[] = []
    let size = 0
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    const refuse = (error: ApiError) => {
      cleanup()
      // Drain the rest unread, as Node does for a body no handler read: closing on a client that is still sending
      // makes its TCP stack drop our answer (RST). Node's requestTimeout bounds a body that never ends.
      req.resume()
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limits.maxBytes) return refuse(tooLarge(limits.maxBytes))
      const shape = scanner.feed(chunk)
      if (shape !== null) return refuse(shapeError(shape))
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, size))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(Object.assign(new ApiError('invalid_body', 'the request body could not be read'), { cause: error }))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/**
 * Middleware: the body parsed as JSON into `req.body` (undefined when there is none). B5: invalid JSON, or a top-level
 * value that is not an object or array → 400 `invalid_json`. The parse runs on a body the limits already bounded, so it is small for every route using this.
 */
export function jsonBody(limits: JsonBodyLimits): RequestHandler {
  return async (req, _res, next) => {
    const bytes = await readBounded(req, limits)
    if (bytes.length === 0) {
      req.body = undefined
      return next()
    }
    let parsed: unknown
    try {
      parsed = JSON.parse(bytes.toString('utf8'))
    } catch {
      throw new ApiError('invalid_json', 'the body is not valid JSON')
    }
    // every route takes an object (or an array): a bare `null`, number or string is no body of ours
    if (typeof parsed !== 'object' || parsed === null) throw new ApiError('invalid_json', 'the body must be a JSON object')
    req.body = parsed
    next()
  }
}

/**
 * Middleware: the body's bytes as a Buffer in `req.body`, within the same limits and scan, unparsed (B6). For the
 * import, whose body is too large to parse on the event loop within its 100 ms budget: the caller parses it off the
 * loop (or, until then, knows the cost it takes).
 */
export function rawJsonBody(limits: JsonBodyLimits): RequestHandler {
  return async (req, _res, next) => {
    req.body = await readBounded(req, limits)
    next()
  }
}
