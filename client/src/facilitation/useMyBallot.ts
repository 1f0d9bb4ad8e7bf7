import { useCallback, useEffect, useState } from 'react'
import { checkBallot, type PublicVote } from '../../../shared/src/facilitation/voteRules.ts'
import { getVote, putBallot } from './facilitationApi.ts'

export type BallotProblem = { kind: 'offline' } | { kind: 'refused'; message: string } | null
/** What a change of the ballot came to: the dots the server holds now, or why it did not take it. */
export type BallotOutcome = { ok: true; cardIds: string[] } | { ok: false; problem: NonNullable<BallotProblem> }

/**
 * This device's ballot in the current vote (DV3..DV7): read from the server when the vote changes, changed by sending
 * the whole ballot. The dots show at once; a refused or failed change puts back what the server has.
 */
export function useMyBallot(meetingId: string, key: string | null, vote: PublicVote | null, voterId: string, canVote: boolean) {
  const [cardIds, setCardIds] = useState<string[]>([])
  const [problem, setProblem] = useState<BallotProblem>(null)
  const voteId = vote?.id ?? null

  useEffect(() => {
    if (voteId === null || key === null || !canVote) return
    const controller = new AbortController()
    getVote(meetingId, key, voteId, voterId, controller.signal)
      .then((answer) => {
        if (answer.ok && answer.value.ballot) setCardIds(answer.value.ballot.cardIds)
      })
      .catch(() => {})
    return () => {
      controller.abort()
      // the next vote (or none) starts from no dots and no problem: the old ballot was this vote's
      setCardIds([])
      setProblem(null)
    }
  }, [meetingId, key, voteId, voterId, canVote])

  const send = useCallback(
    async (next: string[]): Promise<BallotOutcome> => {
      if (vote === null || key === null) return { ok: false, problem: { kind: 'offline' } }
      const before = cardIds
      setCardIds(next)
      const answer = await putBallot(meetingId, key, vote.id, voterId, next)
      if (answer.ok) {
        setCardIds(answer.value.cardIds)
        setProblem(null)
        return { ok: true, cardIds: answer.value.cardIds }
      }
      setCardIds(before)
      const problem: NonNullable<BallotProblem> = answer.failure.kind === 'api' ? { kind: 'refused', message: answer.failure.message } : { kind: 'offline' }
      setProblem(problem)
      return { ok: false, problem }
    },
    [meetingId, key, vote, voterId, cardIds],
  )

  const canAdd = (cardId: string) => vote !== null && checkBallot(vote, [...cardIds, cardId]).ok
  const unchanged = (): Promise<BallotOutcome> => Promise.resolve({ ok: true, cardIds })
  return {
    cardIds,
    problem,
    canAdd,
    add: (cardId: string) => (canAdd(cardId) ? send([...cardIds, cardId]) : unchanged()),
    remove: (cardId: string) => {
      const at = cardIds.lastIndexOf(cardId)
      return at < 0 ? unchanged() : send(cardIds.filter((_, i) => i !== at))
    },
  }
}
