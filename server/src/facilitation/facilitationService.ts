import { randomBytes } from 'node:crypto'
import type * as Y from 'yjs'
import type { Logger } from 'pino'
import { RECORDS_ARRAY } from '../../../shared/src/boardDocument.ts'
import { FACILITATION_MAP, TIMER_KEY, VOTE_KEY } from '../../../shared/src/facilitation/facilitationDoc.ts'
import { isSessionClosed, mayEditInSession, SESSION_KEY } from '../../../shared/src/facilitation/session.ts'
import { applyTimerAction, readTimerState, type TimerAction, type TimerState } from '../../../shared/src/facilitation/timer.ts'
import { frameTitle, revealIntoRecords, votableCards } from '../../../shared/src/facilitation/voteRecords.ts'
import {
  acceptsBallots,
  checkBallot,
  countVoters,
  tallyVotes,
  type Ballot,
  type CreateVoteInput,
  type PublicVote,
  type VoteResult,
} from '../../../shared/src/facilitation/voteRules.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { readBoardContent } from '../versions/boardDocRecords.ts'
import type { BoardRooms } from '../versions/versionService.ts'
import type { StoredVote, VoteStore } from './VoteStore.ts'

/** The origin of the server's facilitation writes: trusted by the lock guard (L2) and the facilitation guard. */
export const FACILITATION_ORIGIN = { kind: 'server', reason: 'facilitation' } as const

/** Title of a vote started without one (stored data: Italian, the product's first language). */
export const DEFAULT_VOTE_TITLE = 'Priorità'

/** A refusal the router turns into a 4xx. */
export class FacilitationError extends Error {
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid_body',
    message: string,
  ) {
    super(message)
    this.name = 'FacilitationError'
  }
}

/** What GET /api/meetings/:id/votes/:voteId answers (DV7). */
export interface VoteView {
  vote: PublicVote
  /** The asking device's own ballot (participants and facilitators who name their voter id). */
  ballot?: Ballot
  /** Facilitators: how many devices placed at least one dot. Never the totals before the reveal. */
  voters?: number
  /** After the reveal, for everyone. */
  results?: VoteResult[]
}

function publicOf(vote: StoredVote): PublicVote {
  const { cards: _c, results: _r, voters: _v, votesCast: _n, ...open } = vote
  return open
}

type Json = Record<string, unknown>

/** Replaces records of the board's YKeyValue layout by id (inside the caller's transaction). */
export function setRecords(doc: Y.Doc, values: readonly Json[]): void {
  if (values.length === 0) return
  const array = doc.getArray<{ key: string; val: unknown }>(RECORDS_ARRAY)
  const ids = new Set(values.map((v) => v.id as string))
  const entries = array.toArray()
  for (let i = entries.length - 1; i >= 0; i--) {
    const key = (entries[i] as { key?: unknown } | undefined)?.key
    if (typeof key === 'string' && ids.has(key)) array.delete(i, 1)
  }
  array.push(JSON.parse(JSON.stringify(values.map((v) => ({ key: v.id as string, val: v })))) as Array<{ key: string; val: unknown }>)
}

/**
 * Votes and the shared timer (server/src/facilitation/SPEC.md), independent of HTTP. Ballots stay in the VoteStore;
 * the board document gets the vote's public state at every change and the totals only at the reveal, each as one
 * transaction of the server through the board's room.
 */
export function createFacilitationService(options: {
  votes: VoteStore
  rooms: () => BoardRooms
  logger: Logger
  now?: () => number
}) {
  const { votes } = options
  const now = options.now ?? Date.now
  const log = options.logger.child({ component: 'facilitation' })
  const closeTimers = new Map<string, ReturnType<typeof setTimeout>>()

  const withDoc = <T>(meetingId: MeetingId, fn: (doc: Y.Doc) => T) => options.rooms().withBoardDoc(meetingId, fn)
  const writePublic = (meetingId: MeetingId, vote: StoredVote, extra?: (doc: Y.Doc) => void) =>
    withDoc(meetingId, (doc) => {
      doc.transact(() => {
        extra?.(doc)
        doc.getMap<unknown>(FACILITATION_MAP).set(VOTE_KEY, publicOf(vote))
      }, FACILITATION_ORIGIN)
    })

  const mustGet = async (meetingId: MeetingId, voteId: string): Promise<StoredVote> => {
    const vote = await votes.get(meetingId, voteId)
    if (vote === null) throw new FacilitationError('not_found', 'this meeting has no such vote')
    return vote
  }

  /** DV6: a vote whose closing time has passed is closed (lazily, and by the timer while the server runs). */
  const settleClosing = async (meetingId: MeetingId, vote: StoredVote): Promise<StoredVote> => {
    if (vote.state !== 'open' || acceptsBallots(vote, now())) return vote
    const closed = await votes.close(meetingId, vote.id, vote.closesAt ?? new Date(now()).toISOString())
    if (closed !== null && closed.state === 'closed') {
      await writePublic(meetingId, closed)
      log.info({ meetingId, voteId: vote.id }, 'vote closed at its closing time')
      return closed
    }
    return closed ?? vote
  }

  const scheduleClose = (meetingId: MeetingId, vote: StoredVote) => {
    if (vote.closesAt === null) return
    const wait = Math.max(0, Date.parse(vote.closesAt) - now())
    const timer = setTimeout(() => {
      closeTimers.delete(vote.id)
      void votes
        .get(meetingId, vote.id)
        .then((v) => (v === null ? null : settleClosing(meetingId, v)))
        .catch((error: unknown) => log.error({ err: error, meetingId, voteId: vote.id }, 'could not close the vote at its closing time'))
    }, wait + 5)
    timer.unref()
    closeTimers.set(vote.id, timer)
  }

  return {
    /**
     * CS1: refuses a participant's ballot or private cards while the session is closed, by the same rule as the
     * board's session guard (`mayEditInSession`): the facilitator may still write.
     */
    async assertSessionAdmits(meetingId: MeetingId, role: Role, what: string): Promise<void> {
      const closed = await withDoc(meetingId, (doc) => isSessionClosed(doc.getMap<unknown>(FACILITATION_MAP).get(SESSION_KEY)))
      if (!mayEditInSession(role, closed)) {
        throw new FacilitationError('conflict', `the session is closed: ${what} are no longer accepted until the facilitator reopens it`)
      }
    },

    /** DV1, DV2: starts a vote on a frame (optionally one cell of a map). */
    async startVote(meetingId: MeetingId, input: CreateVoteInput): Promise<PublicVote> {
      const latest = await votes.latest(meetingId)
      if (latest !== null && acceptsBallots(latest, now())) {
        throw new FacilitationError('conflict', `the vote «${latest.title}» is still open: close it before starting another one`)
      }
      if (input.closesAt != null && Date.parse(input.closesAt) <= now()) {
        throw new FacilitationError('invalid_body', 'closesAt must be in the future')
      }
      const cell = input.cell ?? null
      const found = await withDoc(meetingId, (doc) => {
        const { records } = readBoardContent(doc, { copy: false })
        return { cards: votableCards(records, input.frameId, cell), frameTitle: frameTitle(records, input.frameId) }
      })
      if (found.cards === null) throw new FacilitationError('invalid_body', 'frameId: there is no frame with this id on the board')
      if (found.cards.length === 0) throw new FacilitationError('conflict', 'there are no cards with text to vote on in this frame')
      const createdAt = new Date(now()).toISOString()
      const vote: StoredVote = {
        id: `vote_${randomBytes(9).toString('base64url')}`,
        title: input.title ?? DEFAULT_VOTE_TITLE,
        frameId: input.frameId,
        cell,
        cardIds: found.cards.map((c) => c.id),
        cards: found.cards,
        votesPerVoter: input.votesPerVoter,
        onePerCard: input.onePerCard,
        closesAt: input.closesAt == null ? null : new Date(input.closesAt).toISOString(),
        state: 'open',
        createdAt,
        closedAt: null,
        revealedAt: null,
        results: null,
        voters: null,
        votesCast: null,
      }
      await votes.create(meetingId, vote)
      // DV10: a vote closed by a timer shows that timer to everyone
      const closesAt = vote.closesAt
      await writePublic(
        meetingId,
        vote,
        closesAt === null
          ? undefined
          : (doc) => {
              const timer: TimerState = { startedAt: now(), durationMs: Date.parse(closesAt) - now(), pausedRemainingMs: null, sound: false }
              doc.getMap<unknown>(FACILITATION_MAP).set(TIMER_KEY, timer)
            },
      )
      scheduleClose(meetingId, vote)
      log.info({ meetingId, voteId: vote.id, cards: vote.cards.length, votesPerVoter: vote.votesPerVoter }, 'vote started')
      return publicOf(vote)
    },

    /** DV3..DV6: replaces a voter's ballot. */
    async putBallot(meetingId: MeetingId, voteId: string, voterId: string, cardIds: string[]): Promise<Ballot> {
      const vote = await mustGet(meetingId, voteId)
      const verdict = checkBallot(vote, cardIds)
      if (!verdict.ok) throw new FacilitationError('conflict', verdict.message)
      const outcome = await votes.putBallot(meetingId, voteId, { voterId, cardIds }, now())
      if (outcome === 'missing') throw new FacilitationError('not_found', 'this meeting has no such vote')
      if (outcome === 'closed') {
        await settleClosing(meetingId, vote)
        throw new FacilitationError('conflict', 'the vote is closed: ballots can no longer change')
      }
      return { voterId, cardIds, remaining: vote.votesPerVoter - cardIds.length }
    },

    /** DV7: what the caller may see of a vote. */
    async view(meetingId: MeetingId, voteId: string, role: Role, voterId: string | null): Promise<VoteView> {
      const vote = await settleClosing(meetingId, await mustGet(meetingId, voteId))
      const view: VoteView = { vote: publicOf(vote) }
      if (voterId !== null && role !== 'viewer') {
        const ballot = await votes.getBallot(meetingId, voteId, voterId)
        const cardIds = ballot?.cardIds ?? []
        view.ballot = { voterId, cardIds, remaining: vote.votesPerVoter - cardIds.length }
      }
      if (role === 'facilitator') view.voters = vote.voters ?? countVoters(await votes.ballots(meetingId, voteId))
      if (vote.state === 'revealed' && vote.results !== null) view.results = vote.results
      return view
    },

    /** DV6: the facilitator closes the vote; a revealed one cannot change. */
    async close(meetingId: MeetingId, voteId: string): Promise<PublicVote> {
      const vote = await mustGet(meetingId, voteId)
      if (vote.state === 'revealed') throw new FacilitationError('conflict', 'the vote is revealed: it can no longer change')
      const closed = (await votes.close(meetingId, voteId, new Date(now()).toISOString())) ?? vote
      clearTimeout(closeTimers.get(voteId))
      closeTimers.delete(voteId)
      await writePublic(meetingId, closed)
      log.info({ meetingId, voteId }, 'vote closed')
      return publicOf(closed)
    },

    /**
     * DV8, DV9: closes the vote if open, counts, stores the results (durable first), then writes the totals into the
     * board in one transaction. Revealing again rewrites the same results (a crash between the two steps is repaired).
     */
    async reveal(meetingId: MeetingId, voteId: string): Promise<VoteView> {
      let vote = await mustGet(meetingId, voteId)
      if (vote.state !== 'revealed') {
        const ballots = await votes.ballots(meetingId, voteId)
        const tally = tallyVotes(vote.cards, ballots)
        const texts = await withDoc(meetingId, (doc) => {
          const { records } = readBoardContent(doc, { copy: false })
          const byId = new Map(records.map((r) => [r.id, r as unknown as Json]))
          return revealIntoRecords(byId, vote, tally, { voters: 0, votesCast: 0 }).results
        })
        const at = new Date(now()).toISOString()
        const votesCast = ballots.reduce((n, b) => n + b.cardIds.length, 0)
        vote = (await votes.reveal(meetingId, voteId, { at, results: texts, voters: countVoters(ballots), votesCast })) ?? vote
        clearTimeout(closeTimers.get(voteId))
        closeTimers.delete(voteId)
      }
      const revealed = vote
      const results = revealed.results ?? []
      await writePublic(meetingId, revealed, (doc) => {
        const { records } = readBoardContent(doc)
        const byId = new Map(records.map((r) => [r.id, r as unknown as Json]))
        const { changed } = revealIntoRecords(byId, revealed, results, { voters: revealed.voters ?? 0, votesCast: revealed.votesCast ?? 0 })
        setRecords(doc, changed)
      })
      log.info({ meetingId, voteId, voters: revealed.voters }, 'vote revealed')
      return { vote: publicOf(revealed), results }
    },

    /** T2: a facilitator's timer action, in server time. */
    async timer(meetingId: MeetingId, action: TimerAction): Promise<TimerState | null> {
      return withDoc(meetingId, (doc) => {
        const map = doc.getMap<unknown>(FACILITATION_MAP)
        const next = applyTimerAction(readTimerState(map.get(TIMER_KEY)), action, now())
        doc.transact(() => {
          if (next === null) map.delete(TIMER_KEY)
          else map.set(TIMER_KEY, next)
        }, FACILITATION_ORIGIN)
        return next
      })
    },

    now,

    dispose(): void {
      for (const timer of closeTimers.values()) clearTimeout(timer)
      closeTimers.clear()
    },
  }
}

export type FacilitationService = ReturnType<typeof createFacilitationService>
