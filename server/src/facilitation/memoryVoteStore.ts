import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { acceptsBallots } from '../../../shared/src/facilitation/voteRules.ts'
import { closedVote, revealedVote, type StoredBallot, type StoredVote, type VoteStore } from './VoteStore.ts'

interface MeetingVotes {
  /** Votes as JSON text, in creation order (VS1). */
  votes: Map<string, string>
  /** Ballots by vote id, then voter id, as JSON text. */
  ballots: Map<string, Map<string, string>>
}

/** The storage behind memory vote stores: pass the same map to a new store to "re-open" it. */
export type MemoryVoteStorage = Map<MeetingId, MeetingVotes>

/** A VoteStore in memory (tests, the contract suite). */
export function createMemoryVoteStore(storage: MemoryVoteStorage = new Map()): VoteStore {
  const of = (meetingId: MeetingId): MeetingVotes => {
    let held = storage.get(meetingId)
    if (held === undefined) {
      held = { votes: new Map(), ballots: new Map() }
      storage.set(meetingId, held)
    }
    return held
  }
  const read = (meetingId: MeetingId, voteId: string): StoredVote | null => {
    const text = storage.get(meetingId)?.votes.get(voteId)
    return text === undefined ? null : (JSON.parse(text) as StoredVote)
  }
  const write = (meetingId: MeetingId, vote: StoredVote) => of(meetingId).votes.set(vote.id, JSON.stringify(vote))
  return {
    async create(meetingId, vote) {
      if (of(meetingId).votes.has(vote.id)) throw new Error(`vote ${vote.id} exists already`)
      write(meetingId, vote)
    },
    async get(meetingId, voteId) {
      return read(meetingId, voteId)
    },
    async latest(meetingId) {
      const votes = [...(storage.get(meetingId)?.votes.values() ?? [])]
      const last = votes[votes.length - 1]
      return last === undefined ? null : (JSON.parse(last) as StoredVote)
    },
    async putBallot(meetingId, voteId, ballot, nowMs) {
      const vote = read(meetingId, voteId)
      if (vote === null) return 'missing'
      if (!acceptsBallots(vote, nowMs)) return 'closed'
      const held = of(meetingId)
      let byVoter = held.ballots.get(voteId)
      if (byVoter === undefined) held.ballots.set(voteId, (byVoter = new Map()))
      byVoter.set(ballot.voterId, JSON.stringify({ voterId: ballot.voterId, cardIds: [...ballot.cardIds] }))
      return 'ok'
    },
    async getBallot(meetingId, voteId, voterId) {
      const text = storage.get(meetingId)?.ballots.get(voteId)?.get(voterId)
      return text === undefined ? null : (JSON.parse(text) as StoredBallot)
    },
    async ballots(meetingId, voteId) {
      return [...(storage.get(meetingId)?.ballots.get(voteId)?.values() ?? [])].map((t) => JSON.parse(t) as StoredBallot)
    },
    async close(meetingId, voteId, at) {
      const vote = read(meetingId, voteId)
      const closed = vote === null ? null : closedVote(vote, at)
      if (closed !== null) write(meetingId, closed)
      return closed ?? vote
    },
    async reveal(meetingId, voteId, outcome) {
      const vote = read(meetingId, voteId)
      const revealed = vote === null ? null : revealedVote(vote, outcome)
      if (revealed !== null) write(meetingId, revealed)
      return revealed ?? vote
    },
    async deleteMeeting(meetingId) {
      const held = storage.get(meetingId)
      if (held === undefined) return 0
      let rows = held.votes.size
      for (const byVoter of held.ballots.values()) rows += byVoter.size
      storage.delete(meetingId)
      return rows
    },
    async meetingIds() {
      return [...storage.keys()]
    },
    async exportMeeting(meetingId) {
      const held = storage.get(meetingId)
      if (held === undefined) return []
      return [...held.votes.values()].map((text) => {
        const vote = JSON.parse(text) as StoredVote
        const byVoter = [...(held.ballots.get(vote.id)?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))
        return { vote, ballots: byVoter.map(([, t]) => JSON.parse(t) as StoredBallot) }
      })
    },
    async importVote(meetingId, { vote, ballots }) {
      if (of(meetingId).votes.has(vote.id)) throw new Error(`vote ${vote.id} exists already`)
      write(meetingId, vote)
      of(meetingId).ballots.set(vote.id, new Map(ballots.map((b) => [b.voterId, JSON.stringify({ voterId: b.voterId, cardIds: [...b.cardIds] })])))
    },
  }
}
