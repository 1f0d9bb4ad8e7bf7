import type { BoardProblem } from './boardSchema.ts'

/** A refusal of a version operation that the routers turn into a 4xx. */
export class VersionError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_body' | 'conflict',
    message: string,
    readonly details?: BoardProblem[],
  ) {
    super(message)
    this.name = 'VersionError'
  }
}
