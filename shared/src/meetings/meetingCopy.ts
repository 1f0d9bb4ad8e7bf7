/**
 * How a meeting made from another one is told apart from it (issue 19 item 12): an import of a board file or
 * "Apri come nuova riunione" gave a meeting with the same title, reference, date and place, so the staff list showed
 * two identical cards. The copy's title says it is a copy and of when ("… (copia del 6/12/2026)"); its description
 * starts by naming the source. Pure: h17b's meeting factory can call it for every path that copies a meeting.
 * The words are Italian, like every other text Tavolo writes into meeting data.
 */
import { DEFAULT_MEETING_TIME_ZONE } from './meetingTimeZone.ts'
import { DESCRIPTION_MAX, TITLE_MAX } from './meetingSchemas.ts'

export interface CopySource {
  title: string
  reference: string | null
  description: string | null
  /** The version copied, when the copy is of a saved version. */
  version?: number
  /** How the copy was made: from a board file, or from a version of a meeting on this server. */
  kind: 'import' | 'version'
}

/** "6/12/2026": the day of the copy, in the meetings' zone. */
function day(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('it-IT', { timeZone, day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(now)
  // it-IT pads to "06/12/2026"; the short form people write is "6/12/2026"
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return `${part('day')}/${part('month')}/${part('year')}`
}

/** The copy's title and description, each within its field's limit. */
export function copiedMeetingText(source: CopySource, now: Date, timeZone = DEFAULT_MEETING_TIME_ZONE): { title: string; description: string } {
  const suffix = ` (copia del ${day(now, timeZone)})`
  const title = `${Array.from(source.title).slice(0, TITLE_MAX - suffix.length).join('')}${suffix}`
  const ref = source.reference === null ? '' : ` (${source.reference})`
  const what = source.kind === 'import' ? 'Importata da un file di' : 'Copia di'
  const version = source.version === undefined ? '' : `, versione ${source.version}`
  const head = `${what} «${source.title}»${ref}${version}, il ${day(now, timeZone)}.`
  const description = source.description ? `${head}\n\n${source.description}` : head
  return { title, description: Array.from(description).slice(0, DESCRIPTION_MAX).join('') }
}
