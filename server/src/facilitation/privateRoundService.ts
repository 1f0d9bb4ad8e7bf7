import { randomBytes } from 'node:crypto'
import type * as Y from 'yjs'
import type { Logger } from 'pino'
import { FACILITATION_MAP, TIMER_KEY } from '../../../shared/src/facilitation/facilitationDoc.ts'
import {
  checkPrivateCards,
  PRIVATE_KEY,
  privateCardsIntoRecords,
  privateCounts,
  roundFrame,
  type CreatePrivateRoundInput,
  type PrivateCard,
  type PublicPrivateRound,
} from '../../../shared/src/facilitation/privateRound.ts'
import type { TimerState } from '../../../shared/src/facilitation/timer.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { readBoardContent } from '../versions/boardDocRecords.ts'
import type { BoardRooms } from '../versions/versionService.ts'
import { FACILITATION_ORIGIN, FacilitationError, setRecords } from './facilitationService.ts'
import type { PrivateCardStore } from './PrivateCardStore.ts'

/** What GET /api/meetings/:id/private-rounds/:roundId answers (PR7). */
export interface PrivateRoundView {
  round: PublicPrivateRound
  /** The asking device's own cards (participants and facilitators who name their voter id). */
  cards?: PrivateCard[]
  /** Facilitators: how many devices wrote how many cards. Never the texts. */
  counts?: { writers: number; cards: number; perWriter: number[] }
}

/**
 * Private brainstorming rounds (server/src/facilitation/SPEC.md, PR1..PR9), independent of HTTP. Cards stay in the
 * PrivateCardStore until the reveal; the board document gets the round's public state and, at the reveal, the notes.
 */
export function createPrivateRoundService(options: { store: PrivateCardStore; rooms: () => BoardRooms; logger: Logger; now?: () => number }) {
  const { store } = options
  const now = options.now ?? Date.now
  const log = options.logger.child({ component: 'privateRound' })
  const withDoc = <T>(meetingId: MeetingId, fn: (doc: Y.Doc) => T) => options.rooms().withBoardDoc(meetingId, fn)
  const mustGet = async (meetingId: MeetingId, roundId: string) => {
    const round = await store.get(meetingId, roundId)
    if (round === null) throw new FacilitationError('not_found', 'this meeting has no such private round')
    return round
  }

  return {
    /** PR1, PR2: starts a round on a frame (optionally with the shared timer). */
    async start(meetingId: MeetingId, input: CreatePrivateRoundInput): Promise<PublicPrivateRound> {
      const latest = await store.latest(meetingId)
      if (latest !== null && latest.state === 'open') {
        throw new FacilitationError('conflict', 'a private round is still open: reveal it before starting another one')
      }
      const frame = await withDoc(meetingId, (doc) => roundFrame(readBoardContent(doc, { copy: false }).records, input.frameId))
      if (frame === null) throw new FacilitationError('invalid_body', 'frameId: there is no frame with this id on the board')
      const round: PublicPrivateRound = {
        id: `round_${randomBytes(9).toString('base64url')}`,
        frameId: input.frameId,
        named: input.named,
        state: 'open',
        createdAt: new Date(now()).toISOString(),
        revealedAt: null,
      }
      await store.create(meetingId, round)
      const durationMs = input.durationMs ?? null
      await withDoc(meetingId, (doc) =>
        doc.transact(() => {
          const map = doc.getMap<unknown>(FACILITATION_MAP)
          map.set(PRIVATE_KEY, round)
          if (durationMs !== null) map.set(TIMER_KEY, { startedAt: now(), durationMs, pausedRemainingMs: null, sound: false } satisfies TimerState)
        }, FACILITATION_ORIGIN),
      )
      log.info({ meetingId, roundId: round.id, named: round.named }, 'private round started')
      return round
    },

    /** PR3..PR6: replaces a device's private cards. */
    async putCards(meetingId: MeetingId, roundId: string, voterId: string, name: string | null, cards: PrivateCard[]): Promise<PrivateCard[]> {
      const round = await mustGet(meetingId, roundId)
      if (round.state !== 'open') throw new FacilitationError('conflict', 'the private round is revealed: cards can no longer change')
      const frame = await withDoc(meetingId, (doc) => roundFrame(readBoardContent(doc, { copy: false }).records, round.frameId))
      if (frame === null) throw new FacilitationError('conflict', 'the frame of the private round is no longer on the board')
      const verdict = checkPrivateCards(frame, cards)
      if (!verdict.ok) throw new FacilitationError('conflict', verdict.message)
      const outcome = await store.putCards(meetingId, roundId, { voterId, name, cards, updatedAt: new Date(now()).toISOString() })
      if (outcome === 'missing') throw new FacilitationError('not_found', 'this meeting has no such private round')
      if (outcome === 'closed') throw new FacilitationError('conflict', 'the private round is revealed: cards can no longer change')
      return cards
    },

    /** PR7: what the caller may see of a round. */
    async view(meetingId: MeetingId, roundId: string, role: Role, voterId: string | null): Promise<PrivateRoundView> {
      const round = await mustGet(meetingId, roundId)
      const view: PrivateRoundView = { round }
      if (voterId !== null && role !== 'viewer') view.cards = (await store.getCards(meetingId, roundId, voterId))?.cards ?? []
      if (role === 'facilitator') view.counts = privateCounts(await store.writers(meetingId, roundId))
      return view
    },

    /**
     * PR8, PR9: marks the round revealed (durable first: no card changes after it), then writes every card into the
     * board and the state in ONE server transaction. Revealing again writes the cards still missing (a crash between
     * the two steps is repaired).
     */
    async reveal(meetingId: MeetingId, roundId: string): Promise<{ round: PublicPrivateRound; cards: number }> {
      const round = (await store.reveal(meetingId, roundId, new Date(now()).toISOString())) ?? (await mustGet(meetingId, roundId))
      const writers = await store.writers(meetingId, roundId)
      const added = await withDoc(meetingId, (doc) => {
        const notes = privateCardsIntoRecords(readBoardContent(doc, { copy: false }).records, round, writers)
        doc.transact(() => {
          setRecords(doc, notes as unknown as Array<Record<string, unknown>>)
          doc.getMap<unknown>(FACILITATION_MAP).set(PRIVATE_KEY, round)
        }, FACILITATION_ORIGIN)
        return notes.length
      })
      log.info({ meetingId, roundId, writers: writers.length, cards: added }, 'private round revealed')
      return { round, cards: added }
    },
  }
}

export type PrivateRoundService = ReturnType<typeof createPrivateRoundService>
