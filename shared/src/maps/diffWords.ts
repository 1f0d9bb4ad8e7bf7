/**
 * The sentences of the semantic diff (semanticDiff.ts), one catalogue per language, Italian first. The server renders
 * them too, so they live in `shared/`, like the report's words (shared/src/report/reportWords.ts). Every argument is
 * already worded: user texts quoted (`quote`), places and relations in the reader's language. A new sentence is one
 * entry in each catalogue and one call in semanticDiff.ts; a new language is one more catalogue of type `DiffWords`.
 */
import type { Locale } from './templateSchema.ts'

const it = {
  others: 'Altri contenuti',
  nowhere: 'fuori dalle caselle',
  nobody: '(nessuno)',
  untyped: 'senza tipo',
  outsideTable: 'fuori dalla tabella',
  inPhase: (phase: number) => `nella fase ${phase}`,
  rowInPhase: (row: string, phase: number) => `${row} nella fase ${phase}`,

  mapAdded: (title: string) => `Nuova mappa: ${title}`,
  mapRemoved: (title: string) => `Mappa rimossa: ${title}`,

  actorAdded: (name: string, place: string) => `Nuovo attore ${name} in ${place}`,
  instrumentAdded: (name: string, type: string | null) => `Nuovo strumento ${name}${type === null ? '' : ` (${type})`}`,
  /** `item` is the row's own word for a new entry ("Nuova domanda guida"). */
  programmeItemAdded: (item: string, phase: number, text: string) => `${item} nella fase ${phase}: ${text}`,
  programmeAdded: (where: string, text: string) => `Nuovo contenuto in ${where}: ${text}`,
  issueAdded: (place: string, text: string) => `Nuovo contributo in ${place}: ${text}`,
  otherAdded: (text: string) => `Nuovo contenuto fuori dalle mappe: ${text}`,

  actorRemoved: (name: string, place: string) => `Attore ${name} rimosso da ${place}`,
  instrumentRemoved: (name: string) => `Strumento ${name} rimosso`,
  programmeRemoved: (where: string, text: string) => `Rimosso da ${where}: ${text}`,
  issueRemoved: (place: string, text: string) => `Contributo rimosso da ${place}: ${text}`,
  otherRemoved: (text: string) => `Contenuto fuori dalle mappe rimosso: ${text}`,

  /** A card moved to another map, or to another cell of the programme. */
  cardMoved: (text: string, from: string, to: string) => `${text} spostato da ${from} a ${to}`,
  actorMoved: (name: string, from: string, to: string) => `Attore ${name} spostato da ${from} a ${to}`,
  actorRenamed: (before: string, after: string) => `Attore ${before} rinominato ${after}`,
  actorNotesChanged: (name: string) => `Note dell'attore ${name} modificate`,
  /** Issue 22: an attribute of the actors template (engagement, IAP2 level) set, changed or cleared. */
  actorAttributeChanged: (name: string, attribute: string, from: string, to: string) => `Attore ${name}: ${attribute} da ${from} a ${to}`,
  unsetValue: 'non indicato',
  instrumentRenamed: (before: string, after: string) => `Strumento ${before} rinominato ${after}`,
  instrumentDescriptionChanged: (name: string) => `Descrizione dello strumento ${name} modificata`,
  instrumentTypeChanged: (name: string, from: string, to: string) => `Strumento ${name}: tipo da ${from} a ${to}`,
  programmeEdited: (where: string, before: string, after: string) => `Modificato in ${where}: ${before} → ${after}`,
  issueMoved: (text: string, from: string, to: string) => `Contributo ${text} spostato da ${from} a ${to}`,
  issueEdited: (place: string, before: string, after: string) => `Contributo in ${place} modificato: ${before} → ${after}`,
  otherEdited: (before: string, after: string) => `Contenuto fuori dalle mappe modificato: ${before} → ${after}`,

  /** `label` is the arrow's quoted text, or null when it has none. */
  linkAdded: (relation: string, label: string | null) => `Nuovo collegamento: ${relation}${label === null ? '' : ` (${label})`}`,
  linkRemoved: (relation: string) => `Collegamento rimosso: ${relation}`,
  linkRelinked: (before: string, after: string) => `Collegamento ${before} ora ${after}`,
  linkRelabelled: (relation: string, before: string, after: string) => `Collegamento ${relation}: ${before} → ${after}`,

  /** A dot-vote revealed (issue 20): its ranked cards, already worded by `voteCard`, or `noVotes`. */
  voteRevealed: (title: string, ranking: string) => `Votazione ${title} chiusa: ${ranking}`,
  voteCard: (rank: number, text: string, votes: number) => `${rank}. ${text} ${votes} ${votes === 1 ? 'voto' : 'voti'}`,
  noVotes: 'nessun voto',
}

export type DiffWords = typeof it

const en: DiffWords = {
  others: 'Other contents',
  nowhere: 'outside the cells',
  nobody: '(none)',
  untyped: 'untyped',
  outsideTable: 'outside the table',
  inPhase: (phase) => `in phase ${phase}`,
  rowInPhase: (row, phase) => `${row} in phase ${phase}`,

  mapAdded: (title) => `New map: ${title}`,
  mapRemoved: (title) => `Map removed: ${title}`,

  actorAdded: (name, place) => `New actor ${name} in ${place}`,
  instrumentAdded: (name, type) => `New instrument ${name}${type === null ? '' : ` (${type})`}`,
  programmeItemAdded: (item, phase, text) => `${item} in phase ${phase}: ${text}`,
  programmeAdded: (where, text) => `New content in ${where}: ${text}`,
  issueAdded: (place, text) => `New contribution in ${place}: ${text}`,
  otherAdded: (text) => `New content outside the maps: ${text}`,

  actorRemoved: (name, place) => `Actor ${name} removed from ${place}`,
  instrumentRemoved: (name) => `Instrument ${name} removed`,
  programmeRemoved: (where, text) => `Removed from ${where}: ${text}`,
  issueRemoved: (place, text) => `Contribution removed from ${place}: ${text}`,
  otherRemoved: (text) => `Content outside the maps removed: ${text}`,

  cardMoved: (text, from, to) => `${text} moved from ${from} to ${to}`,
  actorMoved: (name, from, to) => `Actor ${name} moved from ${from} to ${to}`,
  actorRenamed: (before, after) => `Actor ${before} renamed ${after}`,
  actorNotesChanged: (name) => `Notes of actor ${name} changed`,
  actorAttributeChanged: (name, attribute, from, to) => `Actor ${name}: ${attribute} from ${from} to ${to}`,
  unsetValue: 'not given',
  instrumentRenamed: (before, after) => `Instrument ${before} renamed ${after}`,
  instrumentDescriptionChanged: (name) => `Description of instrument ${name} changed`,
  instrumentTypeChanged: (name, from, to) => `Instrument ${name}: type from ${from} to ${to}`,
  programmeEdited: (where, before, after) => `Changed in ${where}: ${before} → ${after}`,
  issueMoved: (text, from, to) => `Contribution ${text} moved from ${from} to ${to}`,
  issueEdited: (place, before, after) => `Contribution in ${place} changed: ${before} → ${after}`,
  otherEdited: (before, after) => `Content outside the maps changed: ${before} → ${after}`,

  linkAdded: (relation, label) => `New link: ${relation}${label === null ? '' : ` (${label})`}`,
  linkRemoved: (relation) => `Link removed: ${relation}`,
  linkRelinked: (before, after) => `Link ${before} now ${after}`,
  linkRelabelled: (relation, before, after) => `Link ${relation}: ${before} → ${after}`,

  voteRevealed: (title, ranking) => `Vote ${title} closed: ${ranking}`,
  voteCard: (rank, text, votes) => `${rank}. ${text} ${votes} ${votes === 1 ? 'vote' : 'votes'}`,
  noVotes: 'no votes',
}

export const DIFF_WORDS: Record<Locale, DiffWords> = { it, en }
