/**
 * Which version of a meeting a process reads (process SPEC PR1): the version chosen as the meeting's outcome
 * (`meeting.outcomeVersion`) when it still exists, otherwise the latest (or the live board when there is none). Pure:
 * the server looks the versions up and hands the answers in.
 */

/** A chosen outcome as the history carries it: the number chosen, and whether that version was there to read. */
export interface ProcessOutcome {
  chosen: number
  /** False: the chosen version is gone (erased, or never there): the latest was read instead, and the story says so. */
  found: boolean
}

export interface OutcomeRead {
  /** The version to read, or null for the live board (a meeting with no version). */
  number: number | null
  /** Null when no outcome was chosen (the latest, automatically). */
  outcome: ProcessOutcome | null
}

/**
 * `chosen`: the meeting's outcomeVersion (null = the latest); `latest`: its latest version's number (null = none);
 * `chosenExists`: whether version `chosen` is stored.
 */
export function outcomeToRead(chosen: number | null, latest: number | null, chosenExists: boolean): OutcomeRead {
  if (chosen === null) return { number: latest, outcome: null }
  if (chosenExists) return { number: chosen, outcome: { chosen, found: true } }
  return { number: latest, outcome: { chosen, found: false } }
}
