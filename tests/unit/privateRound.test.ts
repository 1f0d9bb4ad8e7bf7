/** Private rounds: the pure rules (server/src/facilitation/SPEC.md PR4..PR8). */
import { describe, expect, it } from 'vitest'
import { buildSeedBoard } from '../../server/src/demo/seedBoard.ts'
import { plainTextOfShape } from '../../shared/src/board/richText.ts'
import { MAX_SHAPE_TEXT } from '../../shared/src/board/textLimit.ts'
import {
  checkPrivateCards,
  PRIVATE_CARDS_MAX,
  privateCardsIntoRecords,
  privateCounts,
  PutPrivateCardsInputSchema,
  roundFrame,
  type PrivateWriter,
  type PublicPrivateRound,
} from '../../shared/src/facilitation/privateRound.ts'
import { BoardIndex, isCard } from '../../shared/src/maps/meaning.ts'
import { rectContains } from '../../shared/src/maps/layout.ts'

const ISSUES = 'shape:demo-issues'
const FULL = buildSeedBoard('final') as unknown[]
/** The seed's issue map with one card left in it (the seed's cells are full: placeInCell then only covers the least). */
const FULL_INDEX = new BoardIndex(FULL)
const SEED = FULL.filter((r) => {
  const index = FULL_INDEX
  const shape = index.byId.get((r as { id: string }).id)
  return !isCard(shape) || shape?.parentId !== ISSUES || shape.id === 'shape:demo-str1'
})
const FRAME = roundFrame(SEED, ISSUES)!
const round = (named: boolean): PublicPrivateRound => ({ id: 'round_x', frameId: ISSUES, named, state: 'revealed', createdAt: '2025-01-01T00:00:00.000Z', revealedAt: null })
const centre = (n: number) => ({ x: FRAME.cells[n]!.x + FRAME.cells[n]!.w / 2, y: FRAME.cells[n]!.y + FRAME.cells[n]!.h / 2 })
const writer = (voterId: string, name: string | null, texts: string[], cell: number, updatedAt: string): PrivateWriter => ({
  voterId,
  name,
  cards: texts.map((text, i) => ({ id: `pc_${voterId}${i}`, text, ...centre(cell) })),
  updatedAt,
})

describe('private round rules', () => {
  it('PR4..PR6: number of cards, one id once, every point inside the frame', () => {
    const ok = { id: 'pc_aaaaaaaa', text: 'a', x: 0, y: 0 }
    expect(checkPrivateCards({ w: 100, h: 100 }, [ok])).toEqual({ ok: true })
    const many = Array.from({ length: PRIVATE_CARDS_MAX + 1 }, (_, i) => ({ ...ok, id: `pc_card${String(i).padStart(5, '0')}` }))
    expect(checkPrivateCards({ w: 100, h: 100 }, many)).toMatchObject({ ok: false, rule: 'PR4' })
    expect(checkPrivateCards({ w: 100, h: 100 }, many.slice(0, PRIVATE_CARDS_MAX))).toEqual({ ok: true })
    expect(checkPrivateCards({ w: 100, h: 100 }, [ok, ok])).toMatchObject({ ok: false, rule: 'PR5' })
    for (const at of [{ x: 100, y: 50 }, { x: -0.5, y: 50 }, { x: 50, y: 100 }]) {
      expect(checkPrivateCards({ w: 100, h: 100 }, [{ ...ok, ...at }])).toMatchObject({ ok: false, rule: 'PR6' })
    }
  })

  it('PR3: the text is bounded by the board text limit and trimmed; an empty card is refused', () => {
    const body = (text: string) => ({ cards: [{ id: 'pc_aaaaaaaa', text, x: 1, y: 1 }] })
    expect(PutPrivateCardsInputSchema.safeParse(body('x'.repeat(MAX_SHAPE_TEXT))).success).toBe(true)
    expect(PutPrivateCardsInputSchema.safeParse(body('x'.repeat(MAX_SHAPE_TEXT + 1))).success).toBe(false)
    expect(PutPrivateCardsInputSchema.safeParse(body('  '))).toMatchObject({ success: false })
    expect(PutPrivateCardsInputSchema.parse(body('  idea  ')).cards[0]!.text).toBe('idea')
    expect(PutPrivateCardsInputSchema.safeParse({ cards: [{ id: 'shape:x', text: 'a', x: 1, y: 1 }] }).success).toBe(false)
  })

  it('PR7: counts per device, never texts', () => {
    expect(privateCounts([{ cards: [1, 2] }, { cards: [] }, { cards: [1, 2, 3] }] as never)).toEqual({ writers: 2, cards: 5, perWriter: [3, 2] })
  })

  it('PR8: every card lands in the cell where its author put it, without overlapping, with or without the names', () => {
    const writers = [
      writer('bbbbbbbb', 'Bruno', ['B1', 'B2', 'B3'], 0, '2025-01-01T00:02:00.000Z'),
      writer('aaaaaaaa', 'Anna', ['A1'], 1, '2025-01-01T00:01:00.000Z'),
    ]
    const notes = privateCardsIntoRecords(SEED, round(true), writers)
    expect(notes.map((n) => plainTextOfShape(n))).toEqual(['A1\n— Anna', 'B1\n— Bruno', 'B2\n— Bruno', 'B3\n— Bruno'])
    const index = new BoardIndex([...SEED, ...notes])
    for (const n of notes) {
      const c = index.geometry.toLocal(ISSUES, index.geometry.center(n.id))
      const cell = plainTextOfShape(n).startsWith('A') ? 1 : 0
      expect(rectContains(FRAME.cells[cell]!, c)).toBe(true)
      expect(n.parentId).toBe(ISSUES)
    }
    // no two new notes overlap, and none covers a card already in the frame
    const boxes = [...SEED, ...notes].filter((r) => (r as { parentId?: string; type?: string }).parentId === ISSUES && (r as { type?: string }).type === 'note')
    const rect = (r: unknown) => {
      const s = r as { x: number; y: number; props: { scale?: number } }
      const side = 200 * (s.props.scale ?? 1)
      return { x: s.x, y: s.y, w: side, h: side }
    }
    for (const n of notes) {
      for (const o of boxes) {
        if (o === n) continue
        const a = rect(n)
        const b = rect(o)
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
        expect(overlap, `${n.id} over ${(o as { id: string }).id}`).toBe(false)
      }
    }
    expect(privateCardsIntoRecords(SEED, round(false), writers).map((n) => plainTextOfShape(n))).toEqual(['A1', 'B1', 'B2', 'B3'])
    // a second reveal adds nothing already on the board
    expect(privateCardsIntoRecords([...SEED, ...notes], round(true), writers)).toEqual([])
    // no frame, nothing
    expect(privateCardsIntoRecords(SEED, { ...round(true), frameId: 'shape:gone' }, writers)).toEqual([])
  })
})
