import { useEffect, useId, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { MAX_SHAPE_TEXT } from '../../../shared/src/board/textLimit.ts'
import type { PublicPrivateRound } from '../../../shared/src/facilitation/privateRound.ts'
import { mapCells, type MapCell } from '../../../shared/src/maps/cellPlacement.ts'
import { rectContains } from '../../../shared/src/maps/layout.ts'
import { mapFrameMeta } from '../../../shared/src/maps/meaning.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { getPrivateRound, revealPrivateRound } from './facilitationApi.ts'
import type { usePrivateCards } from './usePrivateCards.ts'

/** How often the facilitator's panel asks how many people wrote how many cards (counts, never texts). */
const COUNTS_POLL_MS = 3000

/** The round's frame as the editor has it: its size and its map cells (none on a plain frame). */
function useRoundFrame(frameId: string): { w: number; h: number; cells: MapCell[] } | null {
  const editor = useEditor()
  return useValue(
    'private round frame',
    () => {
      const frame = editor.getShape(frameId as TLShapeId)
      if (frame === undefined || frame.type !== 'frame') return null
      const props = frame.props as { w?: number; h?: number }
      const meta = mapFrameMeta(frame)
      const template = meta === null ? null : getTemplate(meta.template)
      return { w: props.w ?? 0, h: props.h ?? 0, cells: template === null ? [] : mapCells(template) }
    },
    [editor, frameId],
  )
}

/**
 * "Scrittura individuale" on the board, phone first: for a person who writes, "Modalità privata: N carte scritte",
 * a box to write a card and the cell it goes in, and their own cards (only on this device until the reveal); for the
 * facilitator how many people wrote how many cards and "Rivela"; for viewers and the projector, only that the round
 * is on. The cards never enter the board document before the reveal (facilitation SPEC PR2).
 */
export function PrivateRoundPanel(props: {
  round: PublicPrivateRound
  role: Role
  meetingId: string
  accessKey: string | null
  mine: ReturnType<typeof usePrivateCards>
  name: string | null
}) {
  const { round, role, meetingId, accessKey, mine } = props
  const t = useT()
  const locale = useLocale()
  const ids = useId()
  const frame = useRoundFrame(round.frameId)
  const [text, setText] = useState('')
  const [cellKey, setCellKey] = useState('')
  const [counts, setCounts] = useState<{ writers: number; cards: number } | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const isFacilitator = role === 'facilitator'
  const canWrite = role !== 'viewer'

  useEffect(() => {
    if (!isFacilitator || accessKey === null) return
    const controller = new AbortController()
    const poll = () =>
      getPrivateRound(meetingId, accessKey, round.id, null, controller.signal)
        .then((answer) => {
          if (answer.ok && answer.value.counts) setCounts(answer.value.counts)
        })
        .catch(() => {})
    void poll()
    const id = setInterval(() => void poll(), COUNTS_POLL_MS)
    return () => {
      controller.abort()
      clearInterval(id)
    }
  }, [isFacilitator, accessKey, meetingId, round.id])

  const cells = frame?.cells ?? []
  const cell = cells.find((c) => c.key === cellKey) ?? cells[0] ?? null
  const place = cell !== null ? { x: cell.rect.x + cell.rect.w / 2, y: cell.rect.y + cell.rect.h / 2 } : frame !== null ? { x: frame.w / 2, y: frame.h / 2 } : null
  const cellOf = (p: { x: number; y: number }) => cells.find((c) => rectContains(c.rect, p))?.label[locale] ?? null

  const add = () => {
    if (place === null || text.trim() === '') return
    void mine.add(text, place)
    setText('')
  }
  const reveal = async () => {
    if (accessKey === null) return
    setBusy(true)
    const answer = await revealPrivateRound(meetingId, accessKey, round.id)
    setBusy(false)
    setError(answer.ok ? null : answer.failure.kind === 'api' ? answer.failure.message : t('private.offline'))
  }
  const problem = mine.problem === null ? null : mine.problem.kind === 'pending' ? t('private.pending') : t('private.failed', { message: mine.problem.message })

  return (
    <section className="tavolo-private-panel" aria-labelledby={`${ids}-title`} data-testid="private-panel">
      <strong id={`${ids}-title`} data-testid="private-count" data-count={mine.cards.length}>
        {canWrite ? t(pluralKey('private.mode', mine.cards.length), { count: mine.cards.length }) : t('private.running')}
      </strong>
      {canWrite && (
        <>
          <p className="tavolo-vote-hint">
            {round.named ? t('private.named', { name: props.name ?? t('private.noName') }) : t('private.anonymous')}
          </p>
          {frame === null ? (
            <p className="tavolo-vote-hint">{t('private.noFrame')}</p>
          ) : (
            <form
              className="tavolo-private-form"
              onSubmit={(e) => {
                e.preventDefault()
                add()
              }}
            >
              <label htmlFor={`${ids}-text`}>{t('private.text')}</label>
              <textarea
                id={`${ids}-text`}
                rows={2}
                maxLength={MAX_SHAPE_TEXT}
                value={text}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => e.stopPropagation()}
                data-testid="private-text"
              />
              {cells.length > 0 && (
                <>
                  <label htmlFor={`${ids}-cell`}>{t('private.cell')}</label>
                  <select id={`${ids}-cell`} value={cell?.key ?? ''} onChange={(e) => setCellKey(e.target.value)} data-testid="private-cell">
                    {cells.map((c) => (
                      <option key={c.key} value={c.key}>
                        {c.label[locale]}
                      </option>
                    ))}
                  </select>
                </>
              )}
              <button type="submit" className="tavolo-vote-button tavolo-vote-primary" disabled={text.trim() === ''} data-testid="private-add">
                {t('private.add')}
              </button>
            </form>
          )}
          {mine.cards.length > 0 && (
            <ul className="tavolo-private-list" data-testid="private-list" aria-label={t('private.mine')}>
              {mine.cards.map((c) => (
                <li key={c.id} data-card-id={c.id}>
                  <span className="tavolo-private-text">{c.text}</span>
                  {cellOf(c) !== null && <span className="tavolo-vote-hint"> · {cellOf(c)}</span>}
                  <button type="button" className="tavolo-private-remove" onClick={() => void mine.remove(c.id)} aria-label={t('private.remove', { text: c.text })}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          {problem !== null && (
            <p className="tavolo-vote-error" role="alert" data-testid="private-problem">
              {problem}
            </p>
          )}
        </>
      )}
      {isFacilitator && (
        <div className="tavolo-vote-actions">
          {counts !== null && (
            <span data-testid="private-counts" data-writers={counts.writers} data-cards={counts.cards}>
              {t(pluralKey('private.counts', counts.writers), { count: counts.writers, cards: t(pluralKey('private.cards', counts.cards), { count: counts.cards }) })}
            </span>
          )}
          <button type="button" className="tavolo-vote-button tavolo-vote-primary" disabled={busy} onClick={() => void reveal()} data-testid="private-reveal">
            {t('private.reveal')}
          </button>
        </div>
      )}
      {error !== null && (
        <p className="tavolo-vote-error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
