import { describe, expect, it } from 'vitest'
import { ApiError } from '../../server/src/http/apiError.ts'
import { createHeavyWorkGate } from '../../server/src/work/heavyWork.ts'
import { deferred } from '../helpers/waitFor.ts'

describe('heavy requests are bounded per meeting and per server (versions SPEC V15)', () => {
  it('past the bound a request is refused at once with 429 and Retry-After, and its slot frees when work ends', async () => {
    const gate = createHeavyWorkGate({ perServer: 3, perMeeting: 2 })
    const hold = deferred()
    const running = [gate.run('m1', () => hold.promise), gate.run('m1', () => hold.promise)]
    const refused = await gate.run('m1', async () => 'ran').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect((refused as ApiError).code).toBe('rate_limited')
    expect((refused as ApiError).retryAfter).toBeGreaterThanOrEqual(1)
    // another meeting still has room on the server, then the server is full
    const third = gate.run('m2', () => hold.promise)
    await expect(gate.run('m3', async () => 'ran')).rejects.toMatchObject({ code: 'rate_limited' })
    expect(gate.inFlight).toBe(3)
    hold.resolve()
    await Promise.all([...running, third])
    expect(gate.inFlight).toBe(0)
    expect(await gate.run('m1', async () => 'ran')).toBe('ran')
  })

  it('a failing request frees its slot too', async () => {
    const gate = createHeavyWorkGate({ perServer: 1, perMeeting: 1 })
    await expect(gate.run('m1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await gate.run('m1', async () => 'ran')).toBe('ran')
  })
})
