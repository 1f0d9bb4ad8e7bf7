import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import type { PrivateWriter, PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import type { PrivateCardStore } from './PrivateCardStore.ts'

interface MeetingRounds {
  /** Rounds as JSON text, in creation order (PS1). */
  rounds: Map<string, string>
  /** Cards by round id, then voter id, as JSON text. */
  cards: Map<string, Map<string, string>>
}

/** The storage behind memory stores: pass the same map to a new store to "re-open" it. */
export type MemoryPrivateCardStorage = Map<MeetingId, MeetingRounds>

/** A PrivateCardStore in memory (tests, the contract suite). */
export function createMemoryPrivateCardStore(storage: MemoryPrivateCardStorage = new Map()): PrivateCardStore {
  const of = (meetingId: MeetingId): MeetingRounds => {
    let held = storage.get(meetingId)
    if (held === undefined) storage.set(meetingId, (held = { rounds: new Map(), cards: new Map() }))
    return held
  }
  const read = (meetingId: MeetingId, roundId: string): PublicPrivateRound | null => {
    const text = storage.get(meetingId)?.rounds.get(roundId)
    return text === undefined ? null : (JSON.parse(text) as PublicPrivateRound)
  }
  return {
    async create(meetingId, round) {
      if (of(meetingId).rounds.has(round.id)) throw new Error(`round ${round.id} exists already`)
      of(meetingId).rounds.set(round.id, JSON.stringify(round))
    },
    async get(meetingId, roundId) {
      return read(meetingId, roundId)
    },
    async latest(meetingId) {
      const rounds = [...(storage.get(meetingId)?.rounds.values() ?? [])]
      const last = rounds[rounds.length - 1]
      return last === undefined ? null : (JSON.parse(last) as PublicPrivateRound)
    },
    async putCards(meetingId, roundId, writer) {
      const round = read(meetingId, roundId)
      if (round === null) return 'missing'
      if (round.state !== 'open') return 'closed'
      const held = of(meetingId)
      let byVoter = held.cards.get(roundId)
      if (byVoter === undefined) held.cards.set(roundId, (byVoter = new Map()))
      byVoter.set(writer.voterId, JSON.stringify(writer))
      return 'ok'
    },
    async getCards(meetingId, roundId, voterId) {
      const text = storage.get(meetingId)?.cards.get(roundId)?.get(voterId)
      return text === undefined ? null : (JSON.parse(text) as PrivateWriter)
    },
    async writers(meetingId, roundId) {
      const byVoter = storage.get(meetingId)?.cards.get(roundId)
      return [...(byVoter?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => JSON.parse(t) as PrivateWriter)
    },
    async reveal(meetingId, roundId, at) {
      const round = read(meetingId, roundId)
      if (round === null || round.state === 'revealed') return round
      const revealed: PublicPrivateRound = { ...round, state: 'revealed', revealedAt: at }
      of(meetingId).rounds.set(roundId, JSON.stringify(revealed))
      return revealed
    },
    async deleteMeeting(meetingId) {
      const held = storage.get(meetingId)
      if (held === undefined) return 0
      let rows = held.rounds.size
      for (const byVoter of held.cards.values()) rows += byVoter.size
      storage.delete(meetingId)
      return rows
    },
    async meetingIds() {
      return [...storage.keys()]
    },
    async exportMeeting(meetingId) {
      const held = storage.get(meetingId)
      if (held === undefined) return []
      return [...held.rounds.values()].map((text) => {
        const round = JSON.parse(text) as PublicPrivateRound
        const byVoter = [...(held.cards.get(round.id)?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))
        return { round, writers: byVoter.map(([, t]) => JSON.parse(t) as PrivateWriter) }
      })
    },
    async importRound(meetingId, { round, writers }) {
      if (of(meetingId).rounds.has(round.id)) throw new Error(`round ${round.id} exists already`)
      of(meetingId).rounds.set(round.id, JSON.stringify(round))
      of(meetingId).cards.set(round.id, new Map(writers.map((w) => [w.voterId, JSON.stringify(w)])))
    },
  }
}
