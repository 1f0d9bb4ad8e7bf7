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
import type { MeetingFields, MeetingStore, StoredMeeting } from '../meetings/meetingStore.ts'
import { writeBoardRecords } from '../versions/boardDocRecords.ts'
import { serverSerializedSchema } from '../board/tldrawSchema.ts'
import type { BoardRooms, VersionService } from '../versions/versionService.ts'
import type { DemoStore } from './demoStore.ts'
import type { ProcessStore } from '../processes/ProcessStore.ts'
import { generateProcessId } from '../processes/processId.ts'
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

/** The process the demo belongs to (issue 22), as the seed's report calls the next steps. */
export const DEMO_PROCESS = {
  title: 'Opificio di Comunità',
  description:
    "Percorso partecipativo per l'Opificio di Comunità di Santarcangelo di Romagna: l'equipe inter-servizio, poi il Tavolo " +
    'di Negoziazione, poi le tre fasi del programma. (Processo dimostrativo creato da Tavolo al primo avvio.)',
}

/** The second meeting of the demo process, continued from the seed meeting's final version. */
export const DEMO_NEXT_MEETING = { title: 'Tavolo di Negoziazione – 1° incontro', startsAt: '2025-10-02T17:30:00+02:00', endsAt: '2025-10-02T19:30:00+02:00' }

export interface DemoOptions {
  demo: DemoStore
  meetings: Pick<MeetingStore, 'get' | 'update'>
  /** Creates the meeting like any other (meetings SPEC M5), without spending MEETINGS_PER_MINUTE: it is no request. */
  factory: MeetingFactory
  service: Pick<VersionService, 'save' | 'continueMeeting'>
  /** With it, the demo is the process "Opificio di Comunità" with a second meeting continued from the seed (issue 22). */
  processes?: ProcessStore
  rooms: () => BoardRooms
  logger: Logger
  now?: () => Date
}

/**
 * Creates the demo meeting unless this database already made one; returns it (null when it was made once and has
 * since been deleted). The row is written last: a crash halfway leaves a meeting that a later start does not reuse.
 * A demo meeting made by a Tavolo without processes gets its process at the next start, once (upgradeToProcess).
 */
export async function ensureDemoMeeting(options: DemoOptions): Promise<DemoMeeting | null> {
  const { demo, meetings, service, logger } = options
  const now = options.now ?? (() => new Date())
  const made = await demo.made()
  const writeBoardOf = boardWriter(options)
  if (made !== null) {
    const stored = made.meetingId === null ? null : await meetings.get(made.meetingId)
    if (stored === null || made.meetingId === null) return null
    await upgradeToProcess(options, stored, writeBoardOf, now)
    return { meetingId: made.meetingId, keys: stored.keys, created: false }
  }

  const stored = await options.factory.create(DEMO_MEETING_FIELDS, { countsTowardQuota: false })
  const id = stored.meeting.id as MeetingId
  const keys: MeetingKeys = stored.keys
  const writeBoard = (records: Array<Record<string, unknown>>) => writeBoardOf(id, records)
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
  if (options.processes !== undefined) await makeDemoProcess(options, id, writeBoardOf, now)
  await demo.remember(id, now().toISOString())
  if (options.processes !== undefined) await demo.rememberProcess(now().toISOString())
  logger.info({ meetingId: id }, 'demo meeting created')
  return { meetingId: id, keys, created: true }
}

type BoardWriter = (id: MeetingId, records: Array<Record<string, unknown>>) => Promise<unknown>

/** Writes records into a meeting's live board through its room, as the server's own change. */
function boardWriter(options: Pick<DemoOptions, 'rooms'>): BoardWriter {
  const schema = serverSerializedSchema()
  return (meetingId, records) =>
    options.rooms().withBoardDoc(meetingId as string as BoardId, (doc: Y.Doc) => {
      doc.transact(() => writeBoardRecords(doc, records as BoardRecord[], schema), DEMO_ORIGIN)
    })
}

/**
 * A data dir whose demo meeting was made before processes existed gets the demo process once (issue 22): the seed
 * meeting joins "Opificio di Comunità" and the second meeting is continued from it. Not when the demo meeting is
 * already in a process, or a process of the demo's title exists (a dir made by a Tavolo with processes, whose demo
 * meeting staff moved out): then it is only remembered. A failure is logged, never stops the start.
 */
async function upgradeToProcess(options: DemoOptions, seed: StoredMeeting, writeBoardOf: BoardWriter, now: () => Date): Promise<void> {
  const { demo, processes, logger } = options
  if (processes === undefined || (await demo.processMade())) return
  const id = seed.meeting.id as MeetingId
  try {
    const already = seed.meeting.processId !== null || (await processes.list()).some((p) => p.title === DEMO_PROCESS.title)
    if (!already) {
      await makeDemoProcess(options, id, writeBoardOf, now)
      logger.info({ meetingId: id }, 'demo process created for the demo meeting of an earlier Tavolo')
    }
    await demo.rememberProcess(now().toISOString())
  } catch (error) {
    logger.warn({ err: error, meetingId: id }, 'the demo process could not be made for the existing demo meeting')
  }
}

/**
 * Issue 22: the demo meeting becomes the first meeting of the process "Opificio di Comunità", and the process gets its
 * second meeting, continued from the seed's final version, where two actors moved level, one actor arrived, one issue
 * was added and one link of the architecture was relinked: the process page tells that story at once.
 */
async function makeDemoProcess(
  options: DemoOptions,
  seedId: MeetingId,
  writeBoardOf: BoardWriter,
  now: () => Date,
): Promise<void> {
  const { processes, meetings, service } = options
  if (processes === undefined) return
  const at = now().toISOString()
  const process = await processes.create(generateProcessId(), { ...DEMO_PROCESS, decidimUrl: null, notSameActors: [] }, at)
  const seed = await meetings.update(seedId, { processId: process.id }, at)
  if (seed === null) throw new Error('the demo meeting vanished while its process was made')
  const next = await service.continueMeeting(
    seed,
    2,
    DEMO_AUTHOR,
    {
      ...DEMO_MEETING_FIELDS,
      ...DEMO_NEXT_MEETING,
      reference: null,
      organisations: ['Amministrazione comunale', 'Partner di progetto', 'Consulte e delegazioni'],
      description: "Continua «1° incontro della Equipe inter-servizio». Il Tavolo di Negoziazione rivede la mappa degli attori e l'architettura operativa.\n\n(Riunione dimostrativa creata da Tavolo al primo avvio.)",
      attendeesCount: 14,
      processId: process.id,
    },
    false,
  )
  const nextId = next.stored.meeting.id as MeetingId
  await writeBoardOf(nextId, buildSeedBoard('negotiation'))
  await service.save(nextId, {
    label: 'Fine incontro',
    note: 'Il Tavolo di Negoziazione: istituzioni del centro storico nel nucleo fondativo, la Consulta dei giovani, una questione operativa, la Cabina di Regia che coordina i patti.',
    author: DEMO_AUTHOR,
  })
}
