import { useCallback, useEffect, useMemo, useRef } from 'react'
import type { Editor } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { nextPresentingSince, readPresenting, SUMMON_TTL_MS, type Presenting, type Summon } from './leading.ts'

/** Local awareness fields for leading the session (leading.ts P1..P3, S1). Written from event handlers only. */
export function useLeadingControls(awareness: Awareness) {
  const summonTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(
    () => () => {
      if (summonTimer.current) clearTimeout(summonTimer.current)
    },
    [],
  )

  const ownPresenting = useCallback((): Presenting | null => readPresenting(awareness.getLocalState() ?? undefined), [awareness])

  /** P1/P2: start presenting now (taking over from whoever presented before). */
  const startPresenting = useCallback(
    (showQr: boolean, participantLink: string | null) => {
      const since = nextPresentingSince(awareness.getStates(), Date.now())
      awareness.setLocalStateField('presenting', presentingValue(since, showQr, participantLink))
    },
    [awareness],
  )

  /** P4: publish presenting again with a remembered `since` (after a reload of this tab). */
  const resumePresenting = useCallback(
    (since: number, showQr: boolean, participantLink: string | null) => {
      awareness.setLocalStateField('presenting', presentingValue(since, showQr, participantLink))
    },
    [awareness],
  )

  /** P3: change what the projector shows while we keep presenting (the link only travels while the QR is on). */
  const updatePresenting = useCallback(
    (showQr: boolean, participantLink: string | null) => {
      const current = readPresenting(awareness.getLocalState() ?? undefined)
      if (!current) return
      awareness.setLocalStateField('presenting', presentingValue(current.since, showQr, participantLink))
    },
    [awareness],
  )

  const stopPresenting = useCallback(() => awareness.setLocalStateField('presenting', null), [awareness])

  /** S1: bring every participant to this editor's viewport, once. */
  const summonEveryone = useCallback(
    (editor: Editor) => {
      const v = editor.getViewportPageBounds()
      const summon: Summon = {
        nonce: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
        pageId: editor.getCurrentPageId(),
        bounds: { x: v.x, y: v.y, w: v.w, h: v.h },
      }
      awareness.setLocalStateField('summon', summon)
      if (summonTimer.current) clearTimeout(summonTimer.current)
      summonTimer.current = setTimeout(() => {
        summonTimer.current = null
        const current = awareness.getLocalState()?.summon as { nonce?: unknown } | null | undefined
        if (current?.nonce === summon.nonce) awareness.setLocalStateField('summon', null)
      }, SUMMON_TTL_MS)
    },
    [awareness],
  )

  return useMemo(
    () => ({ ownPresenting, startPresenting, resumePresenting, updatePresenting, stopPresenting, summonEveryone }),
    [ownPresenting, startPresenting, resumePresenting, updatePresenting, stopPresenting, summonEveryone],
  )
}

function presentingValue(since: number, showQr: boolean, participantLink: string | null): Presenting {
  return showQr && participantLink ? { since, showQr, participantLink } : { since, showQr }
}
