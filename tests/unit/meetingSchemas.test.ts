import { describe, expect, it } from 'vitest'
import { parseMeetingId } from '../../shared/src/meetings/meetingId.ts'
import { buildMeetingLinks } from '../../shared/src/meetings/meetingLinks.ts'
import { MeetingInputSchema, MeetingPatchSchema } from '../../shared/src/meetings/meetingSchemas.ts'

describe('meeting payload schemas', () => {
  it('accepts a full meeting and trims the title', () => {
    const r = MeetingInputSchema.safeParse({
      title: '  Laboratorio di quartiere  ',
      reference: 'par-MEET-2025-09-622',
      startsAt: '2025-09-18T17:30:00+02:00',
      endsAt: '2025-09-18T19:30:00+02:00',
      place: 'Sala civica',
      organisations: ['Comune', 'Pro Loco'],
      description: 'Primo incontro',
    })
    expect(r.success).toBe(true)
    expect(r.data?.title).toBe('Laboratorio di quartiere')
  })

  it('needs only a title', () => {
    expect(MeetingInputSchema.safeParse({ title: 'x' }).success).toBe(true)
    expect(MeetingInputSchema.safeParse({}).success).toBe(false)
    expect(MeetingInputSchema.safeParse({ title: '   ' }).success).toBe(false)
  })

  it.each([
    ['title too long', { title: 'x'.repeat(201) }],
    ['title of wrong type', { title: 42 }],
    ['bad reference', { title: 't', reference: 'has spaces in it' }],
    ['date without zone', { title: 't', startsAt: '2025-09-18T17:30:00' }],
    ['not a date', { title: 't', startsAt: 'tomorrow' }],
    ['end before start', { title: 't', startsAt: '2025-09-18T17:30:00Z', endsAt: '2025-09-18T17:00:00Z' }],
    ['place too long', { title: 't', place: 'p'.repeat(301) }],
    ['too many organisations', { title: 't', organisations: Array.from({ length: 51 }, (_, i) => `o${i}`) }],
    ['organisation too long', { title: 't', organisations: ['o'.repeat(201)] }],
    ['description too long', { title: 't', description: 'd'.repeat(5001) }],
    ['unknown field', { title: 't', colour: 'red' }],
  ])('refuses %s', (_name, body) => {
    expect(MeetingInputSchema.safeParse(body).success).toBe(false)
  })

  it('compares times across offsets', () => {
    // 18:00+02:00 is 16:00Z: before 17:00Z, so the end is after the start
    expect(MeetingInputSchema.safeParse({ title: 't', startsAt: '2025-09-18T18:00:00+02:00', endsAt: '2025-09-18T17:00:00Z' }).success).toBe(true)
  })

  it('a patch needs at least one field and may clear fields with null', () => {
    expect(MeetingPatchSchema.safeParse({}).success).toBe(false)
    expect(MeetingPatchSchema.safeParse({ place: null }).success).toBe(true)
    expect(MeetingPatchSchema.safeParse({ title: '' }).success).toBe(false)
    expect(MeetingPatchSchema.safeParse({ title: null }).success).toBe(false)
  })

  it('meeting ids are board ids', () => {
    expect(parseMeetingId('abc_DEF-123')).toBe('abc_DEF-123')
    expect(parseMeetingId('../etc')).toBeNull()
    expect(parseMeetingId('')).toBeNull()
  })

  it('builds links with the key in the fragment, as paths or under PUBLIC_URL', () => {
    const id = parseMeetingId('m1')!
    const keys = { facilitator: 'F', participant: 'P', viewer: 'V' }
    expect(buildMeetingLinks(null, id, keys)).toEqual({
      facilitator: '/board/m1#k=F',
      participant: '/board/m1#k=P',
      viewer: '/board/m1#k=V',
      projector: '/board/m1/projector#k=V',
    })
    expect(buildMeetingLinks('https://tavolo.example.it/app/', id, keys).projector).toBe('https://tavolo.example.it/app/board/m1/projector#k=V')
  })
})
