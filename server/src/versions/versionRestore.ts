import * as Y from 'yjs'
import type { Logger } from 'pino'
import { META_MAP, SCHEMA_KEY } from '../../../shared/src/boardDocument.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { VersionAuthor, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import type { BoardSnapshot, PreparedRecords } from '../work/boardJobs.ts'
import type { BoardWork } from '../work/workerPool.ts'
import { applyBoardWrite, writeBoardRecords, type BoardWritePlan } from './boardDocRecords.ts'
import { newVersionOf, type BoardReader, type BoardRooms } from './boardReader.ts'
import { VersionError } from './versionError.ts'
import type { RestoreIntent, VersionStore } from './VersionStore.ts'

/** The transaction origin of a restore: a server change, so the lock guard lets it through (G1) and all clients get it. */
export const RESTORE_ORIGIN = { kind: 'server', reason: 'restore' } as const

/** After this many rounds of a board that keeps moving under a restore, the restore gives up (409). */
const RESTORE_ATTEMPTS = 10

/**
 * With several instances on one database an intent may be another instance's restore in flight, not one left behind:
 * a restore takes seconds (RESTORE_ATTEMPTS rounds at most), so an intent younger than this is left for a later look.
 */
export const RESTORE_IN_FLIGHT_MS = 120_000

/** Labels of the versions the server makes (stored data; Italian, the product's first language). */
export const AUTOMATIC_LABELS = {
  sessionEnd: 'Fine sessione',
  beforeRestore: (k: number) => `Prima del ripristino della versione ${k}`,
  restored: (k: number) => `Ripristino della versione ${k}`,
  imported: 'Importata da file',
  copied: (n: number, title: string) => `Copia della versione ${n} di «${title}»`,
  /** Issue 22: the first version of a continued meeting; `n` null when it started from a board with no version. */
  continued: (title: string, n: number | null) => `Continua da «${title}», ${n === null ? 'lavagna dal vivo' : `versione ${n}`}`,
}

/** The doc's own Yjs client and the clock its next struct gets: what a restore intent names (VersionStore.ts). */
function writerOf(doc: Y.Doc): RestoreIntent['writer'] {
  return { clientId: doc.clientID, clock: Y.getState(doc.store, doc.clientID) }
}

type ReadyRecords = Extract<PreparedRecords, { ok: true }>

/**
 * Restoring versions (SPEC V9): the forward write into the live board, its `before-restore` and `restored` versions,
 * and the crash safety that settles a restore a previous process left half done. The version's records are read,
 * migrated and hashed in the worker pool; on the event loop remain the board's state encoding and the write itself.
 */
export function createVersionRestorer(options: {
  versions: VersionStore
  meetings: MeetingStore
  rooms: () => BoardRooms
  work: BoardWork
  reader: BoardReader
  logger: Logger
  now: () => Date
}) {
  const { versions, meetings, work, reader, now } = options
  const log = options.logger

  /** The records of version k in the server's schema (migrated when it was made with another one), or 409. */
  const recordsToRestore = async (meetingId: MeetingId, k: number): Promise<ReadyRecords> => {
    const stored = await reader.storedTexts(meetingId, k)
    const target = await work.run('prepareVersion', { source: stored, withUpdate: false })
    if (!target.ok) {
      throw new VersionError('conflict', `version ${k} cannot be restored on this server: ${target.problems[0]?.message ?? ''}`, target.problems)
    }
    return target
  }

  /**
   * V9 crash safety: settles a restore intent left behind, from the live board as it is now. The restore happened
   * when the board is version k's records, or when the doc holds a struct its writer made from the intent's clock on
   * (the restore's own update, even under later edits); then its `restored` version is added, with version k's records
   * (what the restore wrote) and the intent's time. Otherwise the write never became durable: the board is the old
   * one, already saved as `before-restore` or unchanged, and the intent is dropped.
   */
  const settleRestore = async (intent: RestoreIntent): Promise<'completed' | 'dropped'> => {
    const { meetingId } = intent
    if ((await meetings.get(meetingId)) === null) {
      await versions.abandonRestore(meetingId, intent.id)
      return 'dropped'
    }
    const written = await options.rooms().withBoardDoc(meetingId, (doc) => Y.getState(doc.store, intent.writer.clientId) > intent.writer.clock)
    const live = written ? null : await reader.liveSnapshot(meetingId)
    if (live !== null && live.contentHash !== intent.targetHash) {
      await versions.abandonRestore(meetingId, intent.id)
      log.info({ meetingId, restoredFrom: intent.restoredFrom }, 'an interrupted restore never reached the board: dropped')
      return 'dropped'
    }
    const target = await recordsToRestore(meetingId, intent.restoredFrom)
    const version = await versions.completeRestore(
      meetingId,
      intent.id,
      newVersionOf(
        { ...target.snapshot, contentHash: intent.targetHash },
        { label: AUTOMATIC_LABELS.restored(intent.restoredFrom), kind: 'restored', author: intent.author, restoredFrom: intent.restoredFrom, createdAt: intent.createdAt },
      ),
    )
    log.info({ meetingId, restoredFrom: intent.restoredFrom, number: version?.number }, 'an interrupted restore completed: restored version added')
    return 'completed'
  }

  return {
    /**
     * V9: saves the live board as `before-restore` (unless unchanged), changes the live doc forward to version k in one
     * transaction through its room, then records a `restored` version.
     */
    async restore(meetingId: MeetingId, k: number, author: VersionAuthor) {
      const source = await reader.summaryOf(meetingId, k)
      const stored = await reader.storedTexts(meetingId, k)
      const rooms = options.rooms()
      let beforeRestore: VersionSummary | null = null
      let intent: RestoreIntent
      let after: BoardSnapshot
      let exact = false
      let repairedEntries: number
      // An edit arriving between saving the live board and changing it would be lost from both: if the doc moved in
      // between, save again (a few rounds at most; edits are rare compared with the milliseconds this takes).
      for (let attempt = 0; ; attempt++) {
        const { seen, writer } = await rooms.withBoardDoc(meetingId, (doc) => ({ seen: Y.snapshot(doc), writer: writerOf(doc) }))
        // Planned in the worker on the committed log, read after: when the log is not exactly the doc that was seen
        // (an edit came in between), the before-restore version could miss that edit, and the plan would not fit.
        const tolerant = attempt >= 3
        const planned = await work.run('restorePlan', {
          live: await reader.liveState(meetingId),
          target: stored,
          withRecords: tolerant,
        })
        if (!planned.ok) throw new VersionError('conflict', `version ${k} cannot be restored on this server: ${planned.problems[0]?.message ?? ''}`, planned.problems)
        const { live, target, plan } = planned
        const targetHash = target.contentHash
        const readSeen = live.yjsSnapshot !== undefined && Y.equalSnapshots(Y.decodeSnapshot(live.yjsSnapshot), seen)
        if (!readSeen) {
          if (attempt + 1 >= RESTORE_ATTEMPTS) throw new VersionError('conflict', 'the board kept changing during the restore; try again')
          continue
        }
        // V15: a board holding entries that are no records is written even when its records equal version k's, so
        // that the restore removes them (the plan keeps only readable entries)
        if (live.contentHash === targetHash && live.skipped === 0) {
          const latest = (await versions.latest(meetingId)) ?? source
          return { version: latest, beforeRestore: null, restoredFrom: k, changed: false }
        }
        const saved = await versions.addIfChanged(
          meetingId,
          newVersionOf(live, { label: AUTOMATIC_LABELS.beforeRestore(k), kind: 'before-restore', author, createdAt: now().toISOString() }),
        )
        if (saved.created) beforeRestore = saved.version
        repairedEntries = live.skipped
        // durable before the doc changes: a crash from here on is settled at the next start (settleRestore)
        intent = await versions.beginRestore(meetingId, { restoredFrom: k, targetHash, author, createdAt: now().toISOString(), writer })
        const pending = intent
        let written: BoardWritePlan['counts'] | null
        try {
          written = await rooms.withBoardDoc(meetingId, (doc) => {
            // the intent names this doc's client and clock: a reloaded room or a server write since would make it wrong
            const current = writerOf(doc)
            if (current.clientId !== writer.clientId || current.clock !== writer.clock) return null
            const unchanged = Y.equalSnapshots(Y.snapshot(doc), seen)
            if (!unchanged && !tolerant) return null
            let counts: BoardWritePlan['counts'] | null = null
            doc.transact(() => {
              // the plan fits the doc it was made on; a board that kept moving is compared here, on the event loop
              counts = unchanged ? applyBoardWrite(doc, plan) : writeBoardRecords(doc, planned.records ?? [], target.schema)
              exact = unchanged
              // A restore that only removes records makes no struct (deletions carry no client), and the recovery
              // would then know it only by the board's hash: writing the same schema again marks the update as ours.
              if (Y.getState(doc.store, doc.clientID) === writer.clock) doc.getMap<unknown>(META_MAP).set(SCHEMA_KEY, structuredClone(target.schema))
            }, RESTORE_ORIGIN)
            return counts
          })
        } catch (error) {
          // the write may or may not be durable: the board says which, now or at the next start
          await settleRestore(pending).catch((settleError: unknown) => log.error({ err: settleError, meetingId }, 'restore left for the next start'))
          throw error
        }
        if (written === null) {
          await versions.abandonRestore(meetingId, pending.id)
          if (attempt + 1 >= RESTORE_ATTEMPTS) throw new VersionError('conflict', 'the board kept changing during the restore; try again')
          continue
        }
        log.info({ meetingId, restoredFrom: k, ...(written as object) }, 'version restored into the live board')
        // the board now holds exactly the version's records, unless it was written while moving: then read it again
        after = exact ? target : await reader.liveSnapshot(meetingId)
        break
      }
      const recorded = await versions.completeRestore(
        meetingId,
        intent.id,
        newVersionOf(after, { label: AUTOMATIC_LABELS.restored(k), kind: 'restored', author, restoredFrom: k, createdAt: now().toISOString() }),
      )
      // null only when something else settled the intent first (it then added the restored version)
      const version = recorded ?? (await versions.latest(meetingId)) ?? source
      if (repairedEntries > 0) log.warn({ meetingId, repairedEntries }, 'entries that were no records removed from the board by the restore')
      return { version, beforeRestore, restoredFrom: k, changed: true, ...(repairedEntries > 0 ? { repairedEntries } : {}) }
    },

    /**
     * V9 crash safety: settles every restore intent a previous process left behind (main.ts, before the server listens,
     * so that no edit reaches a board between the crash and this). A failure is logged and left for the next start.
     * `olderThanMs` (several instances): intents younger than that may be another instance's restore in flight and
     * are left for a later call.
     */
    async completeInterruptedRestores(
      settle: { olderThanMs?: number } = {},
    ): Promise<{ completed: number; dropped: number; failed: number; left: number }> {
      const outcome = { completed: 0, dropped: 0, failed: 0, left: 0 }
      for (const intent of await versions.pendingRestores()) {
        const age = now().getTime() - Date.parse(intent.createdAt)
        if (settle.olderThanMs !== undefined && !(age >= settle.olderThanMs)) {
          outcome.left += 1
          continue
        }
        try {
          outcome[await settleRestore(intent)] += 1
        } catch (error) {
          outcome.failed += 1
          log.error({ err: error, meetingId: intent.meetingId, restoredFrom: intent.restoredFrom }, 'could not settle an interrupted restore; tried again at the next start')
        }
      }
      return outcome
    },

    /** Version n made ready to become a new meeting's board (V11 copy): migrated, hashed, with its Yjs update. */
    async prepareCopy(meetingId: MeetingId, n: number): Promise<ReadyRecords> {
      const stored = await reader.storedTexts(meetingId, n)
      const target = await work.run('prepareVersion', { source: stored, withUpdate: true })
      if (!target.ok) throw new VersionError('conflict', `version ${n} cannot be copied on this server: ${target.problems[0]?.message ?? ''}`, target.problems)
      return target
    },
  }
}
