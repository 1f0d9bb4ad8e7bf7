/**
 * The demo meeting a fresh install starts with (issue 10, "a real first impression"): the seed meeting
 * "1° incontro della Equipe inter-servizio" with its four maps filled in and two versions ("Prima stesura" and
 * "Stato finale", whose semantic diff says what changed), so a newcomer sees a board, versions, a diff and a
 * report within a minute. Created once per database: the DemoStore remembers it, so deleting or changing the
 * meeting never brings a second one back. Turned off with DEMO=false.
 */
import type * as Y from 'yjs'
import type { Logger } from 'pino'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { MeetingKeys } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { MeetingFactory } from '../meetings/meetingFactory.ts'
import type { BoardRecord } from '../../../shared/src/versions/versionSchemas.ts'
import type { MeetingFields, MeetingStore } from '../meetings/meetingStore.ts'
import { writeBoardRecords } from '../versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../board/tldrawSchema.ts'
import type { BoardRooms, VersionService } from '../versions/versionService.ts'
import type { DemoStore } from './demoStore.ts'
import { buildSeedBoard } from './seedBoard.ts'

/** The seed meeting's page (/work/shared/seed), as meeting fields. Times in Europe/Rome (CEST in September). */
export const DEMO_MEETING_FIELDS: MeetingFields = {
  title: '1° incontro della Equipe inter-servizio',
  reference: 'par-MEET-2025-09-622',
  startsAt: '2025-09-15T09:00:00+02:00',
  endsAt: '2025-09-15T11:00:00+02:00',
  place: 'Municipio di Santarcangelo di Romagna, Piazza Ganganelli 1, 47822 Santarcangelo di Romagna RN',
  organisations: ['Amministrazione comunale (dirigenti, funzionari di diversi settori e servizi)'],
  description:
    "Il primo incontro dell'equipe inter-servizio si concentra sulla condivisione della cornice di senso del percorso " +
    "partecipativo e sul coordinamento interno tra i diversi settori dell'amministrazione comunale coinvolti nel " +
    "progetto dell'Opificio di Comunità.\n\n(Riunione dimostrativa creata da Tavolo al primo avvio: si può modificare o " +
    'ignorare; DEMO=false la disattiva.)',
  versionsVisibleTo: 'facilitators',
  attendeesCount: 6,
  processId: null,
}

const DEMO_AUTHOR = { name: 'Tavolo (dimostrazione)', role: 'facilitator' } as const
/** The demo's writes are the server's own: the lock guard lets them through (meetings SPEC G1). */
const DEMO_ORIGIN = { kind: 'server', reason: 'demo' } as const

export interface DemoMeeting {
  meetingId: MeetingId
  keys: MeetingKeys
  /** True when this start created it. */
  created: boolean
}

export interface DemoOptions {
  demo: DemoStore
  meetings: Pick<MeetingStore, 'get'>
  /** Creates the meeting like any other (meetings SPEC M5), without spending MEETINGS_PER_MINUTE: it is no request. */
  factory: MeetingFactory
  service: Pick<VersionService, 'save'>
  rooms: () => BoardRooms
  logger: Logger
  now?: () => Date
}

/**
 * Creates the demo meeting unless this database already made one; returns it (null when it was made once and has
 * since been deleted). The row is written last: a crash halfway leaves a meeting that a later start does not reuse.
 */
export async function ensureDemoMeeting(options: DemoOptions): Promise<DemoMeeting | null> {
  const { demo, meetings, service, logger } = options
  const now = options.now ?? (() => new Date())
  const made = await demo.made()
  if (made !== null) {
    const stored = made.meetingId === null ? null : await meetings.get(made.meetingId)
    return stored === null || made.meetingId === null ? null : { meetingId: made.meetingId, keys: stored.keys, created: false }
  }

  const stored = await options.factory.create(DEMO_MEETING_FIELDS, { countsTowardQuota: false })
  const id = stored.meeting.id as MeetingId
  const keys: MeetingKeys = stored.keys
  const schema = serverSerializedSchema()
  const writeBoard = (records: Array<Record<string, unknown>>) =>
    options.rooms().withBoardDoc(id as string as BoardId, (doc: Y.Doc) => {
      doc.transact(() => writeBoardRecords(doc, records as BoardRecord[], schema), DEMO_ORIGIN)
    })
  await writeBoard(buildSeedBoard('draft'))
  await service.save(id, {
    label: 'Prima stesura',
    note: 'Le quattro mappe come le ha abbozzate il primo giro di confronto.',
    author: DEMO_AUTHOR,
  })
  await writeBoard(buildSeedBoard('final'))
  await service.save(id, {
    label: 'Stato finale',
    note: "Fine dell'incontro: i Gruppi CIVIVO nel nucleo fondativo, il Patto Fondativo collegato alla Cabina di Regia, una domanda guida per la fase 2.",
    author: DEMO_AUTHOR,
  })
  await demo.remember(id, now().toISOString())
  logger.info({ meetingId: id }, 'demo meeting created')
  return { meetingId: id, keys, created: true }
}
