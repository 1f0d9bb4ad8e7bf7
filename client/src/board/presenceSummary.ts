import { ATTENDEES_MAX } from '../../../shared/src/meetings/meetingSchemas.ts'
import { attendeeKey } from '../../../shared/src/presence/attendees.ts'
import { pluralKey, type Translate } from '../i18n/translate.ts'
import { readAwarenessUser } from './presenceSync.ts'

/**
 * Who is on the board now, from awareness, by the shared attendee rule (`shared/src/presence/attendees.ts`, the one
 * the report's suggested count uses): named participants and facilitators, each name once; viewers (the projector,
 * observers) and pages whose person has not typed a name yet are not counted.
 */
export interface PresenceSummary {
  participants: number
  facilitators: number
  /** Everyone counted, facilitators first, each name once (two tabs of one person are one). */
  people: Array<{ name: string; facilitator: boolean }>
}

export function summarizePresence(states: Map<number, Record<string, unknown>>): PresenceSummary {
  const byKey = new Map<string, { name: string; facilitator: boolean }>()
  for (const state of states.values()) {
    const user = readAwarenessUser(state)
    const key = user === null ? null : attendeeKey(user.role, user.name)
    if (user === null || key === null) continue
    const seen = byKey.get(key)
    byKey.set(key, { name: seen?.name ?? user.name.trim(), facilitator: user.role === 'facilitator' || seen?.facilitator === true })
  }
  const people = [...byKey.values()]
    .sort((a, b) => Number(b.facilitator) - Number(a.facilitator) || a.name.localeCompare(b.name))
    .slice(0, ATTENDEES_MAX)
  const facilitators = people.filter((p) => p.facilitator).length
  return { participants: people.length - facilitators, facilitators, people }
}

/** "3 partecipanti, 1 conduce", "2 partecipanti", "Nessun partecipante, 1 conduce", "Nessun partecipante". */
export function presenceWording(t: Translate, { participants, facilitators }: PresenceSummary): string {
  const who = participants === 0 ? t('presence.none') : t(pluralKey('participants', participants), { count: participants })
  if (facilitators === 0) return who
  return t('presence.withFacilitators', { participants: who, facilitators: t(pluralKey('presence.facilitators', facilitators), { count: facilitators }) })
}

/** "Federica (conduce), Anna, Paolo": the names behind the count. */
export function presenceNames(t: Translate, { people }: PresenceSummary): string {
  return people.map((p) => (p.facilitator ? t('presence.facilitatorName', { name: p.name }) : p.name)).join(', ')
}
