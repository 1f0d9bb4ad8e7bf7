import { pluralKey, type Translate } from '../i18n/translate.ts'
import { readAwarenessUser } from './presenceSync.ts'

/** Who is on the board now, from awareness: viewers (the projector, observers) are not counted. */
export interface PresenceSummary {
  participants: number
  facilitators: number
  /** Everyone counted, facilitators first, each person once (two tabs of one person are one). */
  people: Array<{ name: string; facilitator: boolean }>
}

export function summarizePresence(states: Map<number, Record<string, unknown>>): PresenceSummary {
  const byId = new Map<string, { name: string; facilitator: boolean }>()
  for (const state of states.values()) {
    const user = readAwarenessUser(state)
    if (!user || user.role === 'viewer') continue
    const seen = byId.get(user.id)
    byId.set(user.id, { name: user.name, facilitator: user.role === 'facilitator' || seen?.facilitator === true })
  }
  const people = [...byId.values()].sort((a, b) => Number(b.facilitator) - Number(a.facilitator) || a.name.localeCompare(b.name))
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
