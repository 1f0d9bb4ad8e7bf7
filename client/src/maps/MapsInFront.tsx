import { useEffect } from 'react'
import { useEditor } from 'tldraw'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { LockBadges } from '../meeting/LockBadges.tsx'
import { BoardTextPanel } from './BoardTextPanel.tsx'
import { CardMeaningControl } from './CardMeaningControl.tsx'
import { InstrumentAdder } from './InstrumentAdder.tsx'
import { LockedTextEditor } from './LockedTextEditor.tsx'
import { MapBadges } from './MapBadges.tsx'
import { guardLockedShapesForParticipant } from './participantMapGuard.ts'
import { keepCardsInCells } from './cardInCell.ts'
import { FacilitationProvider } from '../facilitation/FacilitationContext.tsx'
import { FacilitationLayer } from '../facilitation/FacilitationLayer.tsx'
import './maps.css'

/**
 * What the maps add in front of a meeting board's canvas (tldraw's InFrontOfTheCanvas slot, which also holds the
 * lock badges): card badges, the card meaning control, "Aggiungi strumento", editing locked map texts in place
 * (facilitators), the board as text; and, for a participant, the guard that keeps locked map structure out of their
 * hands. Facilitation (the vote, the private round) is held once for both the canvas's bars and the board as text.
 */
export function MapsInFront() {
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  useEffect(() => (role === 'participant' ? guardLockedShapesForParticipant(editor) : undefined), [editor, role])
  useEffect(() => keepCardsInCells(editor), [editor])
  return (
    <FacilitationProvider>
      <LockBadges />
      <MapBadges />
      <CardMeaningControl />
      <InstrumentAdder />
      <LockedTextEditor />
      <BoardTextPanel />
      <FacilitationLayer />
    </FacilitationProvider>
  )
}
