import { describe, expect, it } from 'vitest'
import { plainTextOfRichText, plainTextOfShape } from '../../shared/src/board/richText.ts'
import { boundShapeText, MAX_SHAPE_TEXT, shapeTextTooLong, truncateRichText } from '../../shared/src/board/textLimit.ts'
import { noteRecord } from '../../shared/src/maps/cards.ts'

const para = (...texts: string[]) => ({ type: 'paragraph', content: texts.map((text) => ({ type: 'text', text })) })
const doc = (...paragraphs: unknown[]) => ({ type: 'doc', content: paragraphs })

describe('meetings SPEC M-T1: a shape holds at most 1,000 characters of text', () => {
  it('cuts rich text to the limit, keeping structure and marks before the cut', () => {
    const long = doc(para('abc', 'def'), para('ghi'), { type: 'paragraph', content: [{ type: 'text', text: 'jkl', marks: [{ type: 'bold' }] }] })
    expect(plainTextOfRichText(truncateRichText(long, 5))).toBe('abcde')
    expect(plainTextOfRichText(truncateRichText(long, 8))).toBe('abcdef\ng')
    const bold = truncateRichText(long, 12) as { content: Array<{ content: Array<{ marks?: unknown }> }> }
    expect(plainTextOfRichText(bold)).toBe('abcdef\nghi\nj')
    expect(bold.content[2]?.content[0]?.marks).toEqual([{ type: 'bold' }])
    expect(truncateRichText(long, 100)).toEqual(long)
  })

  it('every cut is within the limit, for texts of any shape; a character outside the BMP is never split in half', () => {
    for (const max of [1, 7, 50, MAX_SHAPE_TEXT]) {
      const texts = [doc(para('x'.repeat(3000))), doc(...Array.from({ length: 400 }, () => para('ab', 'c'))), doc(para('a', '👩‍👩‍👧'.repeat(400)))]
      for (const t of texts) expect(Array.from(plainTextOfRichText(truncateRichText(t, max))).length).toBeLessThanOrEqual(max)
    }
    expect(plainTextOfRichText(truncateRichText(doc(para('😀😀😀')), 2))).toBe('😀😀')
  })

  it('bounds a card record; one that fits is the same object', () => {
    const card = noteRecord({ id: 'shape:a', parentId: 'page:page', x: 0, y: 0, text: 'y'.repeat(20_280), order: 1 })
    expect(shapeTextTooLong(card)).toBe(true)
    const bounded = boundShapeText(card)
    expect(plainTextOfShape(bounded).length).toBe(MAX_SHAPE_TEXT)
    expect(boundShapeText(bounded)).toBe(bounded)
    const plain = { id: 'shape:t', props: { text: 'z'.repeat(1200) } }
    expect(plainTextOfShape(boundShapeText(plain)).length).toBe(MAX_SHAPE_TEXT)
  })
})
