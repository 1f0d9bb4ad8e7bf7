import { promisify } from 'node:util'
import { brotliCompress, brotliDecompress, constants as zlibConstants } from 'node:zlib'
import { outlineOf, parseOutline, serializeOutline, type RecordOutline } from '../../../shared/src/versions/recordOutline.ts'
import type { NewVersion } from './VersionStore.ts'

/**
 * The stored form of a version's records, outline and images, shared by the SQLite and PostgreSQL version stores: the
 * same bytes in both, so a database can be copied from one to the other as it is.
 */

/**
 * How `records` are encoded: brotli-compressed UTF-8, one record's JSON per line (`br-ndjson`; JSON text never holds
 * a raw newline), so that a diff can compare records as text and parse only those that differ. Image SVGs: brotli
 * of their JSON string (`br-json`).
 */
export const RECORDS_ENCODING = 'br-ndjson'
export const JSON_ENCODING = 'br-json'
const compress = promisify(brotliCompress)
export const decompress = promisify(brotliDecompress)
/**
 * Quality 5 of 11: measured on a 2,000-note board (bench/versions.ts), about 70× smaller than the JSON in a few
 * milliseconds per megabyte; the top qualities cost ten times longer for a few percent more.
 */
const BROTLI_OPTIONS = { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5, [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT } }

const pack = (text: string): Promise<Buffer> => compress(Buffer.from(text, 'utf8'), BROTLI_OPTIONS)
const encodeRecords = (records: readonly unknown[]): Promise<Buffer> => pack(records.map((r) => JSON.stringify(r)).join('\n'))
export const encodeJson = (value: unknown): Promise<Buffer> => pack(JSON.stringify(value))
export const encodeOutline = (outline: readonly RecordOutline[]): Promise<Buffer> => pack(serializeOutline(outline))

/** Decompression runs on zlib's thread pool (two versions of a diff decompress in parallel). */
export async function recordTexts(blob: Buffer, encoding: string): Promise<string[]> {
  const text = (await decompress(blob)).toString('utf8')
  if (encoding === RECORDS_ENCODING) return text === '' ? [] : text.split('\n')
  if (encoding === JSON_ENCODING) return (JSON.parse(text) as unknown[]).map((r) => JSON.stringify(r))
  throw new Error(`unknown version encoding ${encoding}`)
}

export async function decodeRecords(blob: Buffer, encoding: string): Promise<unknown[]> {
  const text = (await decompress(blob)).toString('utf8')
  // one parse of the whole list is faster than one per line; newlines only ever separate records
  if (encoding === RECORDS_ENCODING) return text === '' ? [] : (JSON.parse(`[${text.replaceAll('\n', ',')}]`) as unknown[])
  if (encoding === JSON_ENCODING) return JSON.parse(text) as unknown[]
  throw new Error(`unknown version encoding ${encoding}`)
}

export const decodeJson = async (blob: Buffer): Promise<unknown> => JSON.parse((await decompress(blob)).toString('utf8'))

/** The stored outline of `count` records, or null when there is none (a row written before V14's outline) or it is damaged. */
export async function decodeOutline(blob: Buffer | null, count: Promise<number>): Promise<RecordOutline[] | null> {
  if (blob === null) return null
  const text = (await decompress(blob)).toString('utf8')
  return parseOutline(text, await count)
}

/** A version's records as stored: the records and their outline, each compressed. */
export interface Encoded {
  records: Buffer
  outline: Buffer
}

export async function encode(version: NewVersion): Promise<Encoded> {
  const prepared = version.prepared
  if (prepared !== undefined) {
    // texts made in the worker pool: only the compression (zlib's thread pool) is left
    const [packed, outline] = await Promise.all([pack(prepared.ndjson), pack(prepared.outlineText)])
    return { records: packed, outline }
  }
  const [packed, outline] = await Promise.all([encodeRecords(version.records), encodeOutline(outlineOf(version.records))])
  return { records: packed, outline }
}
