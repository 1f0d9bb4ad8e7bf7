/**
 * What the server says when it has started: which address to open on this computer, which one participants'
 * devices should open (or that there is none: "solo questo computer"), the staff page and where the data lives.
 * `startBannerText` is pure (tests/unit/startBanner.test.ts); `announceStart` writes it, or logs the same facts as
 * JSON lines for operators (`LOG_FORMAT=json`).
 */
import { resolve } from 'node:path'
import { isLoopbackHost } from '../../shared/src/network/participantAddress.ts'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'

export interface StartFacts {
  version: string
  port: number
  /** HOST the server listens on. */
  listenHost: string
  publicUrl: string | null
  /** The LAN origins found at start (TavoloServer.listen), best first; empty with PUBLIC_URL. */
  participantOrigins: readonly string[]
  /**
   * The staff page (create and list meetings): the link that carries the staff token (server/src/http/staffToken.ts);
   * null (ADMIN_TOKEN is set, so the operator has the token) prints the plain `/meetings` page of this computer.
   */
  staffLink: string | null
  /** The demo meeting's facilitator link (DEMO, on a database that has it), or null. */
  demoLink?: string | null
  dataDir: string
}

/** The address to open in a browser on the machine that runs the server. */
export function localUrlFor(listenHost: string, port: number): string {
  const anyAddress = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === ''
  const host = anyAddress ? 'localhost' : listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost
  return `http://${host}:${port}`
}

/** Where participants' devices should go, or why there is no such address. */
export type ParticipantEntry =
  | { kind: 'public'; url: string }
  | { kind: 'lan'; url: string; others: string[] }
  | { kind: 'loopbackHost' }
  | { kind: 'noNetwork' }

export function participantEntry(facts: Pick<StartFacts, 'publicUrl' | 'participantOrigins' | 'listenHost'>): ParticipantEntry {
  if (facts.publicUrl !== null) return { kind: 'public', url: facts.publicUrl }
  const [first, ...others] = facts.participantOrigins
  if (first !== undefined) return { kind: 'lan', url: first, others }
  return isLoopbackHost(facts.listenHost) ? { kind: 'loopbackHost' } : { kind: 'noNetwork' }
}

const LABEL_WIDTH = 36
const row = (label: string, value: string) => `  ${label.padEnd(LABEL_WIDTH)}${value}`
const more = (value: string) => `  ${' '.repeat(LABEL_WIDTH)}${value}`

/** The banner printed by `npm start` (Italian first, with the English word for the operator). */
export function startBannerText(facts: StartFacts): string {
  const localUrl = localUrlFor(facts.listenHost, facts.port)
  const entry = participantEntry(facts)
  const lines = [`Tavolo ${facts.version} è avviato (is running).`, '', row('Su questo computer (this computer)', localUrl)]
  switch (entry.kind) {
    case 'public':
      lines.push(row('Per chi partecipa (participants)', entry.url))
      break
    case 'lan':
      lines.push(row('Per chi partecipa (participants)', entry.url))
      lines.push(more('telefoni e computer collegati alla stessa rete (Wi-Fi) di questo computer'))
      if (entry.others.length > 0) lines.push(row('Altri indirizzi (other addresses)', entry.others.join('  ')))
      break
    case 'loopbackHost':
      lines.push(row('Per chi partecipa (participants)', `solo questo computer: HOST=${facts.listenHost} non accetta altri dispositivi`))
      lines.push(more('Per far entrare telefoni e portatili riavvia con HOST=0.0.0.0'))
      break
    case 'noNetwork':
      lines.push(row('Per chi partecipa (participants)', 'nessun indirizzo di rete: solo questo computer'))
      lines.push(more('Collega questo computer alla rete (Wi-Fi) della sala e riavvia Tavolo,'))
      lines.push(more('oppure imposta PUBLIC_URL (README, "Running a workshop")'))
      break
  }
  lines.push(row('Personale (staff)', facts.staffLink ?? `${localUrl}/meetings`))
  if (facts.demoLink) lines.push(row('Incontro di prova (demo)', facts.demoLink))
  lines.push(row('Dati (data)', resolve(facts.dataDir)))
  lines.push('', '  Per fermare Tavolo: Ctrl+C', '')
  return lines.join('\n')
}

/** Says the server has started: the banner on a terminal, or the same facts as JSON log entries. */
export function announceStart(
  facts: StartFacts,
  { logFormat, logger, write }: { logFormat: Config['logFormat']; logger: Logger; write(text: string): void },
): void {
  const localUrl = localUrlFor(facts.listenHost, facts.port)
  if (logFormat === 'text') {
    write(`\n${startBannerText(facts)}\n`)
    return
  }
  logger.info(
    { port: facts.port, url: facts.publicUrl ?? localUrl, version: facts.version, dataDir: facts.dataDir },
    'listening',
  )
  const entry = participantEntry(facts)
  switch (entry.kind) {
    case 'public':
    case 'lan':
      logger.info(
        { participantUrl: entry.url, otherUrls: entry.kind === 'lan' ? entry.others : [] },
        `participants' devices should open ${entry.url}`,
      )
      break
    case 'loopbackHost':
      logger.warn({ host: facts.listenHost }, `solo questo computer: listening on ${facts.listenHost}, no other device can connect (HOST=0.0.0.0 lets them in)`)
      break
    case 'noNetwork':
      logger.warn('solo questo computer: no network address found, no other device can connect (join a network and restart, or set PUBLIC_URL)')
      break
  }
}
