import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { PublicVote, VoteCard, VoteResult } from '../../../shared/src/facilitation/voteRules.ts'

/** A vote as the server keeps it: its public part, the cards' texts at the start, and the results once revealed. */
export interface StoredVote extends PublicVote {
  cards: VoteCard[]
  /** Set by the reveal; null before. */
  results: VoteResult[] | null
  voters: number | null
  votesCast: number | null
}

export interface StoredBallot {
  voterId: string
  cardIds: string[]
}

export type PutBallotOutcome = 'ok' | 'missing' | 'closed'

/**
 * Where votes and their ballots are kept (server/src/facilitation/SPEC.md, contract rules VS1..VS7; one contract
 * suite, tests/unit/voteStoreContract.ts, runs against every implementation):
 * VS1 What is stored is copied in and out: a caller changing an object it passed or got changes nothing stored.
 * VS2 A ballot replaces the voter's previous ballot in that vote; it is durable when putBallot resolves.
 * VS3 putBallot stores only while the vote accepts ballots (acceptsBallots at `nowMs`), checked atomically with the
 *     write: a ballot racing a close is either stored before it or refused.
 * VS4 close: open → closed (with the time); a closed or revealed vote is returned unchanged.
 * VS5 reveal: open or closed → revealed with its results and counts; a revealed vote is returned unchanged (its
 *     results never change).
 * VS7 exportMeeting answers every vote of the meeting with its ballots, in creation order; importVote stores one as
 *     given (state, results and ballots included, whatever its state), after the meeting's votes already stored.
 *     For `npm run migrate-to-postgres`.
 * VS6 deleteMeeting removes every vote and ballot of the meeting and nothing else, and says how many rows it removed.
 */
export interface VoteStore {
  create(meetingId: MeetingId, vote: StoredVote): Promise<void>
  get(meetingId: MeetingId, voteId: string): Promise<StoredVote | null>
  /** The meeting's most recently created vote. */
  latest(meetingId: MeetingId): Promise<StoredVote | null>
  putBallot(meetingId: MeetingId, voteId: string, ballot: StoredBallot, nowMs: number): Promise<PutBallotOutcome>
  getBallot(meetingId: MeetingId, voteId: string, voterId: string): Promise<StoredBallot | null>
  ballots(meetingId: MeetingId, voteId: string): Promise<StoredBallot[]>
  close(meetingId: MeetingId, voteId: string, at: string): Promise<StoredVote | null>
  reveal(meetingId: MeetingId, voteId: string, outcome: VoteOutcome): Promise<StoredVote | null>
  /** For the meeting eraser (server/src/ops/meetingEraser.ts); a promise, as a networked store (PostgreSQL) needs. */
  deleteMeeting(meetingId: MeetingId): Promise<number>
  /** The meetings it keeps votes or ballots for (the eraser's start-up sweep, meetings SPEC E6). */
  meetingIds(): Promise<string[]>
  /** VS7: every vote of the meeting with its ballots, oldest first. */
  exportMeeting(meetingId: MeetingId): Promise<ExportedVote[]>
  /** VS7: stores a vote and its ballots as read from another store. */
  importVote(meetingId: MeetingId, exported: ExportedVote): Promise<void>
}

/** A vote with its ballots, as exportMeeting answers it and importVote takes it. */
export interface ExportedVote {
  vote: StoredVote
  ballots: StoredBallot[]
}

/** What a reveal writes into a vote: when, the ranked totals, and how many voted and how many dots were cast. */
export interface VoteOutcome {
  at: string
  results: VoteResult[]
  voters: number
  votesCast: number
}

/** A vote once closed at `at`, or null when it is no longer open (closing changes nothing then). Every store applies it. */
export function closedVote(vote: StoredVote, at: string): StoredVote | null {
  return vote.state === 'open' ? { ...vote, state: 'closed', closedAt: at } : null
}

/** A vote once revealed with `outcome`, or null when it already was (a revealed vote never changes). */
export function revealedVote(vote: StoredVote, outcome: VoteOutcome): StoredVote | null {
  if (vote.state === 'revealed') return null
  const { at, results, voters, votesCast } = outcome
  return { ...vote, state: 'revealed', closedAt: vote.closedAt ?? at, revealedAt: at, results, voters, votesCast }
}
