import { useCallback, useEffect, useRef, useState } from 'react'
import type { PrivateCard, PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import { getPrivateRound, putPrivateCards } from './facilitationApi.ts'
import { forgetOtherRounds, mergePrivateCards, newPrivateCardId, privateCacheKey, readPrivateCache, samePrivateCards, writePrivateCache } from './privateCache.ts'

export type PrivateProblem = { kind: 'pending' } | { kind: 'refused'; message: string } | null

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/**
 * This device's private cards in the open round (facilitation SPEC PR3): kept in the browser at once, sent to the
 * server as the device's whole list; what could not be sent (offline) stays cached and is sent again when the
 * connection comes back or the page is reloaded. Never written into the board document.
 */
export function usePrivateCards(options: {
  meetingId: string
  accessKey: string | null
  round: PublicPrivateRound | null
  voterId: string
  name: string | null
  canWrite: boolean
  connected: boolean
}) {
  const { meetingId, accessKey, round, voterId, name, canWrite, connected } = options
  const roundId = round?.state === 'open' ? round.id : null
  const [cards, setCards] = useState<PrivateCard[]>([])
  const [problem, setProblem] = useState<PrivateProblem>(null)
  const latest = useRef<PrivateCard[]>([])
  const cacheKey = roundId === null ? null : privateCacheKey(meetingId, roundId, voterId)

  const send = useCallback(
    // What came of it (null: the server has the list, or a later list superseded it), so a caller can say so.
    async (next: PrivateCard[]): Promise<PrivateProblem> => {
      if (roundId === null || accessKey === null) return { kind: 'pending' }
      const answer = await putPrivateCards(meetingId, accessKey, roundId, voterId, name, next)
      if (latest.current !== next) return null
      const problem: PrivateProblem = answer.ok ? null : answer.failure.kind === 'api' ? { kind: 'refused', message: answer.failure.message } : { kind: 'pending' }
      setProblem(problem)
      return problem
    },
    [meetingId, accessKey, roundId, voterId, name],
  )

  const change = useCallback(
    (next: PrivateCard[]) => {
      latest.current = next
      setCards(next)
      if (cacheKey !== null) writePrivateCache(storage(), cacheKey, next)
      return send(next)
    },
    [cacheKey, send],
  )

  // a round known from the document: the cache of other rounds goes (a revealed round's cards are on the board).
  // Not before the document says which round is on: a reload offline must find its cache intact.
  const knownRound = round?.id ?? null
  useEffect(() => {
    if (knownRound !== null) forgetOtherRounds(storage(), meetingId, roundId)
  }, [meetingId, knownRound, roundId])

  useEffect(() => {
    if (roundId === null || cacheKey === null || accessKey === null || !canWrite) return
    const cached = readPrivateCache(storage(), cacheKey)
    latest.current = cached
    const controller = new AbortController()
    getPrivateRound(meetingId, accessKey, roundId, voterId, controller.signal)
      .then((answer) => {
        if (controller.signal.aborted) return
        if (!answer.ok) {
          // offline or refused: the device keeps showing (and later sends) what it has cached
          setCards(latest.current)
          if (latest.current.length > 0) setProblem({ kind: 'pending' })
          return
        }
        const server = answer.value.cards ?? []
        const merged = mergePrivateCards(server, latest.current)
        latest.current = merged
        setCards(merged)
        writePrivateCache(storage(), cacheKey, merged)
        if (!samePrivateCards(server, merged)) void send(merged)
      })
      .catch(() => {})
    return () => {
      controller.abort()
      latest.current = []
      setCards([])
      setProblem(null)
    }
  }, [meetingId, accessKey, roundId, voterId, canWrite, cacheKey, send])

  // back online: what is only cached goes to the server
  useEffect(() => {
    if (connected && problem?.kind === 'pending') void send(latest.current)
  }, [connected, problem, send])

  return {
    cards,
    problem,
    add: (text: string, at: { x: number; y: number }) => change([...latest.current, { id: newPrivateCardId(), text: text.trim(), x: at.x, y: at.y }]),
    remove: (id: string) => change(latest.current.filter((c) => c.id !== id)),
  }
}
