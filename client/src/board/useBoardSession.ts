import { useEffect, useState } from 'react'
import type { Signal, TLUser } from 'tldraw'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { browserStorage } from '../identity/localPreferences.ts'
import { takeEarlyBoard } from './boardConnection.ts'
import { createBoardSession, syncUrlFor, type BoardSession } from './boardSession.ts'

/**
 * Opens a board session for as long as the calling component is mounted (one per board page) and disposes it on
 * unmount or when the board, key or role change. Returns null during the first render. Adopts the connection the boot
 * opened for this board and key (S8).
 */
export function useBoardSession(options: {
  boardId: BoardId
  accessKey: string | null
  role: Role
  firstPageName: string
  $user: Signal<TLUser>
}): BoardSession | null {
  const { boardId, accessKey, role, firstPageName, $user } = options
  const [session, setSession] = useState<BoardSession | null>(null)
  useEffect(() => {
    const s = createBoardSession({
      boardId,
      accessKey,
      role,
      syncUrl: syncUrlFor(window.location),
      firstPageName,
      $user,
      storage: browserStorage(),
      connection: takeEarlyBoard(boardId, accessKey) ?? undefined,
    })
    // The session is a resource with this effect's lifetime (it opens the board's socket): it exists only between
    // the effect and its cleanup, so its state can only be set from here.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setSession(s)
    return () => {
      setSession(null)
      s.dispose()
    }
    // firstPageName only matters for seeding at open time: a language switch must not reopen the board.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [boardId, accessKey, role, $user])
  return session
}
