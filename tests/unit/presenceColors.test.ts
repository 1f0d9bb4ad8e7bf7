import { describe, expect, test } from 'vitest'
import { assignPresenceColors } from '../../client/src/board/presenceColors.ts'
import { PRESENCE_COLORS } from '../../client/src/identity/localPreferences.ts'

const RED = PRESENCE_COLORS[0]
const BLUE = PRESENCE_COLORS[1]
const GREEN = PRESENCE_COLORS[2]

describe('distinct cursor colours', () => {
  test('people with different colours keep their own', () => {
    const colors = assignPresenceColors(
      [
        { userId: 'anna', preferred: RED, joinedAt: 1 },
        { userId: 'bruno', preferred: BLUE, joinedAt: 2 },
      ],
      PRESENCE_COLORS,
    )
    expect(colors).toEqual(new Map([['anna', RED], ['bruno', BLUE]]))
  })

  test('the same colour twice: who came later takes the next free one', () => {
    const colors = assignPresenceColors(
      [
        { userId: 'bruno', preferred: RED, joinedAt: 5 },
        { userId: 'anna', preferred: RED, joinedAt: 1 },
        { userId: 'carla', preferred: BLUE, joinedAt: 3 },
      ],
      PRESENCE_COLORS,
    )
    expect(colors.get('anna')).toBe(RED)
    expect(colors.get('carla')).toBe(BLUE)
    expect(colors.get('bruno')).toBe(GREEN) // BLUE is taken: the next one after red that is free
  })

  test('every peer computes the same colours, whatever order the states arrive in', () => {
    const claims = Array.from({ length: 8 }, (_, i) => ({ userId: `p${i}`, preferred: PRESENCE_COLORS[i % 3]!, joinedAt: 100 + (i % 4) }))
    const a = assignPresenceColors(claims, PRESENCE_COLORS)
    const b = assignPresenceColors([...claims].reverse(), PRESENCE_COLORS)
    expect(b).toEqual(a)
    expect(new Set(a.values()).size).toBe(8)
  })

  test('a newcomer never changes the colour of anyone already there', () => {
    const before = [
      { userId: 'anna', preferred: RED, joinedAt: 1 },
      { userId: 'bruno', preferred: RED, joinedAt: 2 },
    ]
    const first = assignPresenceColors(before, PRESENCE_COLORS)
    const after = assignPresenceColors([...before, { userId: 'aaa-early-id', preferred: RED, joinedAt: 3 }], PRESENCE_COLORS)
    expect(after.get('anna')).toBe(first.get('anna'))
    expect(after.get('bruno')).toBe(first.get('bruno'))
    expect(new Set(after.values()).size).toBe(3)
  })

  test('two tabs of one person are one person; past the palette, colours repeat', () => {
    const tabs = assignPresenceColors(
      [
        { userId: 'anna', preferred: RED, joinedAt: 1 },
        { userId: 'anna', preferred: RED, joinedAt: 9 },
        { userId: 'bruno', preferred: RED, joinedAt: 2 },
      ],
      PRESENCE_COLORS,
    )
    expect(tabs.get('anna')).toBe(RED)
    expect(tabs.get('bruno')).not.toBe(RED)
    const crowd = Array.from({ length: PRESENCE_COLORS.length + 2 }, (_, i) => ({ userId: `p${String(i).padStart(2, '0')}`, preferred: RED, joinedAt: i }))
    const colors = assignPresenceColors(crowd, PRESENCE_COLORS)
    expect(new Set(colors.values()).size).toBe(PRESENCE_COLORS.length)
    expect(colors.get(`p${String(PRESENCE_COLORS.length).padStart(2, '0')}`)).toBe(RED)
  })
})
