/** P4 (client/src/meeting/presentingMemory.ts): a reloaded facilitator tab presents again with the same `since`. */
import { memoryStorage } from '../helpers/fixtures.ts'
import { describe, expect, it } from 'vitest'
import { recallPresenting, rememberPresenting } from '../../client/src/meeting/presentingMemory.ts'

describe('presenting memory (P4)', () => {
  it('remembers and forgets per board', () => {
    const storage = memoryStorage()
    rememberPresenting(storage, 'b1', { since: 1234, showQr: true })
    expect(recallPresenting(storage, 'b1')).toEqual({ since: 1234, showQr: true })
    expect(recallPresenting(storage, 'b2')).toBeNull()
    rememberPresenting(storage, 'b1', null)
    expect(recallPresenting(storage, 'b1')).toBeNull()
  })

  it('ignores what is not a valid remembered state', () => {
    const storage = memoryStorage()
    for (const raw of ['not json', '42', '{"since":"x","showQr":true}', '{"since":-1,"showQr":false}', '{"since":5}']) {
      storage.setItem('tavolo.presenting.b1', raw)
      expect(recallPresenting(storage, 'b1')).toBeNull()
    }
  })

  it('works without storage and survives a storage that throws', () => {
    expect(recallPresenting(null, 'b1')).toBeNull()
    rememberPresenting(null, 'b1', { since: 1, showQr: false })
    const throwing = memoryStorage()
    throwing.setItem = () => {
      throw new Error('QuotaExceededError')
    }
    throwing.getItem = () => {
      throw new Error('SecurityError')
    }
    expect(() => rememberPresenting(throwing, 'b1', { since: 1, showQr: false })).not.toThrow()
    expect(recallPresenting(throwing, 'b1')).toBeNull()
  })
})
