/**
 * The words of a process's history (the process page and report), one catalogue per language, Italian first, like
 * diffWords.ts. Arguments are already worded: user texts quoted, labels in the reader's language.
 */
import type { Locale } from '../maps/templateSchema.ts'

const it = {
  title: (title: string) => `Processo «${title}»`,
  meetingsHeading: 'Incontri',
  meeting: (k: number) => `Incontro ${k}`,
  atMeeting: (k: number) => `incontro ${k}`,
  version: (k: number, n: number) => `Versione ${k} (di ${n})`,
  outcomeVersion: (k: number, n: number) => `Versione ${k} (di ${n}), scelta come esito`,
  outcomeMissing: (k: number) => `la versione ${k}, scelta come esito, non c'è più: si legge l'ultima`,
  liveBoard: 'lavagna dal vivo (nessuna versione salvata)',
  noMeetings: 'Il processo non ha ancora incontri.',
  description: 'Descrizione',
  decidim: 'Pagina Decidim',
  generatedAt: 'Generato il',

  actorsHeading: 'Come si sono mossi gli attori',
  gridsHeading: 'La mappa degli attori, incontro per incontro',
  gridCaption: (map: string, meeting: string) => `${map}, ${meeting}`,
  gridLegend: '→ attore arrivato o spostato in questa casella rispetto all’incontro precedente',
  gridCount: (n: number) => (n === 1 ? '1 attore' : `${n} attori`),
  gridMore: (n: number) => `+${n} altri`,
  notOnMap: 'fuori dalle caselle',
  trajectoriesHeading: 'Percorsi degli attori',
  noMoves: 'Nessun attore ha cambiato posto.',
  trajectory: (name: string, path: string) => `${name}: ${path}`,
  arrived: (name: string, place: string, k: number) => `${name} arriva all’incontro ${k} in ${place}`,
  left: (name: string, k: number) => `${name} non è più sulla mappa dall’incontro ${k}`,
  returned: (name: string, place: string, k: number) => `${name} torna sulla mappa all’incontro ${k} in ${place}`,
  renamed: (before: string, after: string, k: number) => `${before} si chiama ${after} dall’incontro ${k}`,
  attributeChanged: (name: string, attribute: string, from: string, to: string, k: number) =>
    `${name}: ${attribute} da ${from} a ${to} (incontro ${k})`,
  attributeSet: (name: string, attribute: string, to: string, k: number) => `${name}: ${attribute} ${to} (incontro ${k})`,
  unset: 'non indicato',
  matchesHeading: 'Attori riconosciuti per nome',
  matchesIntro: 'Scritti di nuovo a mano: riconosciuti dal nome. Se non è lo stesso attore, annullate il riconoscimento.',
  matched: (name: string, earlier: string, k: number) => `${name} all’incontro ${k} è lo stesso attore di ${earlier}`,
  notSame: 'Non è lo stesso attore',

  issuesHeading: 'Questioni',
  issuesAppeared: 'Comparse',
  issuesPersisted: 'Rimaste dall’inizio',
  issuesDropped: 'Abbandonate',
  issueAppeared: (text: string, facet: string, k: number) => `${text} (${facet}), dall’incontro ${k}`,
  issuePersisted: (text: string, facet: string) => `${text} (${facet})`,
  issueDropped: (text: string, facet: string, k: number) => `${text} (${facet}), non più presente dall’incontro ${k}`,
  none: 'Nessuna.',

  architectureHeading: 'Architettura operativa',
  architectureAt: (k: number, nodes: number, edges: number) =>
    `Incontro ${k}: ${nodes === 1 ? '1 strumento' : `${nodes} strumenti`}, ${edges === 1 ? '1 collegamento' : `${edges} collegamenti`}`,
  architectureUnchanged: 'nessun cambiamento',

  programmeHeading: 'Programma',
  programmeAt: (k: number, filled: number, total: number, newly: number) =>
    `Incontro ${k}: ${filled} caselle su ${total} compilate${newly > 0 ? ` (${newly} nuove)` : ''}`,

  votesHeading: 'Votazioni',
  voteAt: (k: number, title: string, ranking: string) => `Incontro ${k}, ${title}: ${ranking}`,
  voteCard: (rank: number, text: string, votes: number) => `${rank}. ${text} ${votes} ${votes === 1 ? 'voto' : 'voti'}`,
  noVotes: 'nessun voto',

  gapsHeading: 'Divari di coinvolgimento',
  gapsIntro: 'Attori il cui coinvolgimento raggiunto è sotto quello desiderato, all’ultimo incontro in cui compaiono.',
  gap: (name: string, now: string, wanted: string, levels: number) =>
    `${name}: ${now}, desiderato ${wanted} (${levels === 1 ? '1 livello sotto' : `${levels} livelli sotto`})`,
  noGaps: 'Nessun divario indicato (impostate «Coinvolgimento attuale» e «desiderato» nel pannello Significato delle carte).',
}

export type ProcessWords = typeof it

const en: ProcessWords = {
  title: (title) => `Process “${title}”`,
  meetingsHeading: 'Meetings',
  meeting: (k) => `Meeting ${k}`,
  atMeeting: (k) => `meeting ${k}`,
  version: (k, n) => `Version ${k} (of ${n})`,
  outcomeVersion: (k, n) => `Version ${k} (of ${n}), chosen as the outcome`,
  outcomeMissing: (k) => `version ${k}, chosen as the outcome, is no longer there: the latest is read`,
  liveBoard: 'live board (no version saved)',
  noMeetings: 'The process has no meetings yet.',
  description: 'Description',
  decidim: 'Decidim page',
  generatedAt: 'Generated on',

  actorsHeading: 'How the actors moved',
  gridsHeading: 'The actor map, meeting by meeting',
  gridCaption: (map, meeting) => `${map}, ${meeting}`,
  gridLegend: '→ actor who arrived in or moved to this cell since the meeting before',
  gridCount: (n) => (n === 1 ? '1 actor' : `${n} actors`),
  gridMore: (n) => `+${n} more`,
  notOnMap: 'outside the cells',
  trajectoriesHeading: 'Actors’ paths',
  noMoves: 'No actor changed place.',
  trajectory: (name, path) => `${name}: ${path}`,
  arrived: (name, place, k) => `${name} arrives at meeting ${k} in ${place}`,
  left: (name, k) => `${name} is no longer on the map from meeting ${k}`,
  returned: (name, place, k) => `${name} is back on the map at meeting ${k} in ${place}`,
  renamed: (before, after, k) => `${before} is called ${after} from meeting ${k}`,
  attributeChanged: (name, attribute, from, to, k) => `${name}: ${attribute} from ${from} to ${to} (meeting ${k})`,
  attributeSet: (name, attribute, to, k) => `${name}: ${attribute} ${to} (meeting ${k})`,
  unset: 'not given',
  matchesHeading: 'Actors recognised by name',
  matchesIntro: 'Written again by hand: recognised by their name. If it is not the same actor, undo the match.',
  matched: (name, earlier, k) => `${name} at meeting ${k} is the same actor as ${earlier}`,
  notSame: 'Not the same actor',

  issuesHeading: 'Issues',
  issuesAppeared: 'Appeared',
  issuesPersisted: 'There from the start',
  issuesDropped: 'Dropped',
  issueAppeared: (text, facet, k) => `${text} (${facet}), from meeting ${k}`,
  issuePersisted: (text, facet) => `${text} (${facet})`,
  issueDropped: (text, facet, k) => `${text} (${facet}), gone from meeting ${k}`,
  none: 'None.',

  architectureHeading: 'Operative architecture',
  architectureAt: (k, nodes, edges) => `Meeting ${k}: ${nodes === 1 ? '1 instrument' : `${nodes} instruments`}, ${edges === 1 ? '1 link' : `${edges} links`}`,
  architectureUnchanged: 'no change',

  programmeHeading: 'Programme',
  programmeAt: (k, filled, total, newly) => `Meeting ${k}: ${filled} of ${total} cells filled${newly > 0 ? ` (${newly} new)` : ''}`,

  votesHeading: 'Votes',
  voteAt: (k, title, ranking) => `Meeting ${k}, ${title}: ${ranking}`,
  voteCard: (rank, text, votes) => `${rank}. ${text} ${votes} ${votes === 1 ? 'vote' : 'votes'}`,
  noVotes: 'no votes',

  gapsHeading: 'Engagement gaps',
  gapsIntro: 'Actors whose engagement reached is below the one wanted, at the last meeting they are in.',
  gap: (name, now, wanted, levels) => `${name}: ${now}, wanted ${wanted} (${levels === 1 ? '1 level below' : `${levels} levels below`})`,
  noGaps: 'No gap given (set “Current engagement” and “Desired engagement” in the cards’ Meaning panel).',
}

export const PROCESS_WORDS: Record<Locale, ProcessWords> = { it, en }
