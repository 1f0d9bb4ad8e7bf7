// The version chosen as a meeting's outcome (shared/src/process/SPEC.md PR1; meetings SPEC M8).
import { describe, expect, it } from 'vitest'
import { outcomeToRead } from '../../shared/src/process/outcomeVersion.ts'
import { processHistory, type ProcessMeetingBoard } from '../../shared/src/process/processHistory.ts'
import { processStory } from '../../shared/src/process/processStory.ts'
import { renderProcessReport } from '../../shared/src/process/processReport.ts'
import { meetingBoard, type BoardSpec } from '../helpers/processBoards.ts'

const PROCESS = { id: 'p1', title: 'Opificio', description: null, decidimUrl: null }
const NOW = '2026-12-07T10:00:00Z'
const proLoco = { id: 'shape:proloco', text: 'Pro Loco', category: 'reti-solidali', level: 'allargamento-strategico' }
const scuole = { id: 'shape:scuole', text: 'Scuole', category: 'mondo-educativo', level: 'validazione-comunitaria' }

const first: BoardSpec = { actors: [proLoco, scuole] }
/** Meeting 2's versions: at version 2 nothing had moved yet; at version 3 (its latest) Pro Loco moved to the core. */
const secondAt: Record<number, BoardSpec> = {
  1: { actors: [proLoco, scuole] },
  2: { actors: [proLoco, scuole] },
  3: { actors: [{ ...proLoco, level: 'nucleo-fondativo' }, scuole] },
}
const LATEST = 3

/** Meeting 2 read as the server reads it: the chosen outcome when stored, else its latest. */
function second(chosen: number | null): ProcessMeetingBoard {
  const read = outcomeToRead(chosen, LATEST, chosen !== null && chosen in secondAt)
  const n = read.number ?? LATEST
  return { ...meetingBoard(2, secondAt[n]!, { number: n, total: LATEST }), outcome: read.outcome }
}

describe('outcomeToRead (PR1)', () => {
  it('reads the latest when none is chosen, the chosen one when it is stored, and the latest again when it is gone', () => {
    expect(outcomeToRead(null, 9, false)).toEqual({ number: 9, outcome: null })
    expect(outcomeToRead(null, null, false)).toEqual({ number: null, outcome: null })
    expect(outcomeToRead(7, 9, true)).toEqual({ number: 7, outcome: { chosen: 7, found: true } })
    expect(outcomeToRead(12, 9, false)).toEqual({ number: 9, outcome: { chosen: 12, found: false } })
    expect(outcomeToRead(2, null, false)).toEqual({ number: null, outcome: { chosen: 2, found: false } })
  })
})

describe('a process history over a chosen outcome (PR1)', () => {
  it('differs from the history over the latest: the move made after the chosen version is not there', () => {
    const latest = processStory(PROCESS, processHistory([meetingBoard(1, first), second(null)]), 'it', NOW)
    expect(latest.trajectories.map((t) => t.text)).toEqual(['«Pro Loco»: Allargamento strategico → Nucleo fondativo (incontro 2)'])
    expect(latest.meetings[1]).toMatchObject({ versionText: 'Versione 3 (di 3)', outcome: null })

    const chosen = processHistory([meetingBoard(1, first), second(2)])
    expect(chosen.meetings[1]?.outcome).toEqual({ chosen: 2, found: true })
    expect(chosen.actors.find((a) => a.key === 'shape:proloco')?.steps.map((s) => s?.level)).toEqual(['allargamento-strategico', 'allargamento-strategico'])
    const it_ = processStory(PROCESS, chosen, 'it', NOW)
    expect(it_.trajectories).toEqual([])
    expect(it_.meetings[1]).toMatchObject({ versionText: 'Versione 2 (di 3), scelta come esito', outcome: { chosen: 2, found: true } })
    // the picture: Pro Loco stays in its cell, unmarked
    expect(it_.grids[0]?.meetings[1]?.cells['reti-solidali']?.['allargamento-strategico']).toEqual([{ name: 'Pro Loco', moved: false }])
    expect(it_.grids[0]?.meetings[1]?.cells['reti-solidali']?.['nucleo-fondativo'] ?? []).toEqual([])
    const en = processStory(PROCESS, chosen, 'en', NOW)
    expect(en.meetings[1]?.versionText).toBe('Version 2 (of 3), chosen as the outcome')
    expect(renderProcessReport(it_, 'md').body).toContain('Versione 2 (di 3), scelta come esito')
  })

  it('a chosen version that is gone: the latest is read and the story says so, in both languages', () => {
    const h = processHistory([meetingBoard(1, first), second(7)])
    expect(h.meetings[1]?.outcome).toEqual({ chosen: 7, found: false })
    const it_ = processStory(PROCESS, h, 'it', NOW)
    expect(it_.meetings[1]?.versionText).toBe('Versione 3 (di 3) — la versione 7, scelta come esito, non c\'è più: si legge l\'ultima')
    expect(it_.trajectories).toHaveLength(1)
    expect(processStory(PROCESS, h, 'en', NOW).meetings[1]?.versionText).toBe('Version 3 (of 3) — version 7, chosen as the outcome, is no longer there: the latest is read')
  })
})
