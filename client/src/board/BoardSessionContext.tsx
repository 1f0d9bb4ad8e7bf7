import { createContext, useContext } from 'react'
import type { BoardSession } from './boardSession.ts'

/** The open board session, for components rendered inside the board (including inside tldraw's UI slots). */
export const BoardSessionContext = createContext<BoardSession | null>(null)

export function useBoardSessionContext(): BoardSession {
  const session = useContext(BoardSessionContext)
  if (!session) throw new Error('useBoardSessionContext outside a board page')
  return session
}

/** Open/close of the name dialog, shared by the dialog and the "change name" control. */
export const NameDialogContext = createContext<{ open(): void } | null>(null)
