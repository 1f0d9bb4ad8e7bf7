import { useContext, useId, useRef, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { MAX_SHAPE_TEXT } from '../../../shared/src/board/textLimit.ts'
import { mapCells, type MapCell } from '../../../shared/src/maps/cellPlacement.ts'
import { rectContains } from '../../../shared/src/maps/layout.ts'
import type { MapTemplate } from '../../../shared/src/maps/templateSchema.ts'
import { useFacilitation, type FacilitationSession } from '../facilitation/FacilitationContext.tsx'
import type { BallotOutcome } from '../facilitation/useMyBallot.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { OutlineEditingContext } from './BoardTextEditors.tsx'

/**
 * Facilitation in "Testo della lavagna" (maps SPEC C11): the keyboard and screen-reader path to dot-voting and to
 * private writing, which on the canvas need a tap on a card. Same ballot and same private cards as the canvas's bars
 * (FacilitationContext), same REST calls, so the server's rules (DV3..DV6, PR3..PR6) decide exactly as there. Every
 * outcome is said in the outline's status line without moving the focus.
 */

/** The person may vote or write: anyone who edits (never viewers, never the projector). */
function canTakePart(f: FacilitationSession | null): f is FacilitationSession {
  return f !== null && f.role !== 'viewer'
}

function useVotesLeft(): (left: number) => string {
  const t = useT()
  return (left) => t(pluralKey('vote.outline.left', left), { count: left })
}

/** At the top of the outline while a vote or a private round is on: what is happening and what the person can do. */
export function OutlineFacilitationSummary({ mapFrameIds }: { mapFrameIds: readonly string[] }) {
  const t = useT()
  const f = useFacilitation()
  const editor = useEditor()
  const left = useVotesLeft()
  const roundFrame = f?.privateRound?.state === 'open' ? f.privateRound.frameId : null
  const frameName = useValue('private round frame name', () => {
    if (roundFrame === null) return null
    const frame = editor.getShape(roundFrame as TLShapeId)
    return frame === undefined ? null : ((frame.props as { name?: string }).name ?? '')
  }, [editor, roundFrame])
  if (!canTakePart(f)) return null
  const { vote, privateRound } = f
  const voteOn = vote !== null && vote.state === 'open'
  const roundOn = privateRound !== null && privateRound.state === 'open'
  if (!voteOn && !roundOn) return null
  return (
    <>
      {voteOn && (
        <section aria-labelledby="board-text-vote-title" className="tavolo-board-text-facilitation" data-testid="board-text-vote">
          <h3 id="board-text-vote-title">{t('vote.open', { title: vote.title })}</h3>
          <p data-testid="board-text-votes-left" data-left={vote.votesPerVoter - f.ballot.cardIds.length}>
            {left(vote.votesPerVoter - f.ballot.cardIds.length)}
          </p>
          <p>{t('vote.outline.intro')}</p>
        </section>
      )}
      {roundOn && (
        <section aria-labelledby="board-text-private-title" className="tavolo-board-text-facilitation" data-testid="board-text-private">
          <h3 id="board-text-private-title">{t('private.outline.heading')}</h3>
          <p>{privateRound.named ? t('private.named', { name: f.name ?? t('private.noName') }) : t('private.anonymous')}</p>
          {frameName === null ? (
            <p>{t('private.noFrame')}</p>
          ) : mapFrameIds.includes(privateRound.frameId) ? (
            <p>{t('private.outline.inMap', { map: frameName })}</p>
          ) : (
            // a plain frame has no section of its own in the outline: its form is here
            <PrivateCardForm frameId={privateRound.frameId} template={null} title={frameName} />
          )}
        </section>
      )}
    </>
  )
}

/** "Vota" and "Togli un voto" beside a card of the open vote, with this device's dots on it. */
export function CardVoteControls({ cardId, text }: { cardId: string; text: string }) {
  const t = useT()
  const f = useFacilitation()
  const editing = useContext(OutlineEditingContext)
  const left = useVotesLeft()
  if (!canTakePart(f) || editing === null) return null
  const { vote, ballot } = f
  if (vote === null || vote.state !== 'open' || !vote.cardIds.includes(cardId)) return null
  const mine = ballot.cardIds.filter((id) => id === cardId).length
  const said = (outcome: BallotOutcome, done: 'vote.outline.given' | 'vote.outline.taken') => {
    if (outcome.ok) editing.say(t(done, { text, left: left(vote.votesPerVoter - outcome.cardIds.length) }))
    else editing.say(outcome.problem.kind === 'offline' ? t('vote.offline') : t('vote.failed', { message: outcome.problem.message }))
  }
  // aria-disabled, not disabled: a disabled button leaves the Tab order, and the person would not learn why
  const canAdd = ballot.canAdd(cardId)
  return (
    <span className="tavolo-board-text-vote" data-testid="board-text-vote-controls" data-mine={mine}>
      {mine > 0 && <span className="tavolo-board-text-muted"> {t('vote.outline.mine', { count: mine })}</span>}{' '}
      <button
        type="button"
        className="tavolo-board-text-show"
        aria-disabled={!canAdd}
        aria-label={t('vote.outline.add', { text })}
        onClick={() => {
          if (!canAdd) {
            editing.say(ballot.cardIds.length >= vote.votesPerVoter ? t('vote.none.left') : t('vote.onePerCard'))
            return
          }
          void ballot.add(cardId).then((outcome) => said(outcome, 'vote.outline.given'))
        }}
        data-testid="board-text-vote-add"
      >
        {t('vote.outline.addShort')}
      </button>
      <button
        type="button"
        className="tavolo-board-text-show"
        aria-disabled={mine === 0}
        aria-label={t('vote.outline.remove', { text })}
        onClick={() => {
          if (mine === 0) {
            editing.say(t('vote.outline.noneHere', { text }))
            return
          }
          void ballot.remove(cardId).then((outcome) => said(outcome, 'vote.outline.taken'))
        }}
        data-testid="board-text-vote-remove"
      >
        {t('vote.remove')}
      </button>
    </span>
  )
}

/** Whether the open private round is on this frame (its section then writes private cards, not board cards). */
export function usePrivateRoundOn(frameId: string): boolean {
  const f = useFacilitation()
  return canTakePart(f) && f.privateRound !== null && f.privateRound.state === 'open' && f.privateRound.frameId === frameId
}

/**
 * During a private round, the round's map section writes private cards: a cell, the text and a button that names
 * the action ("Aggiungi una carta privata in «…»"); the card goes to the server's private store and this device
 * (never the board document, facilitation SPEC PR2), at the cell's centre as the canvas's panel puts it (the
 * reveal places it clear of the others, PR8). Then this device's own cards, each with "Elimina".
 */
export function PrivateCardForm({ frameId, template, title }: { frameId: string; template: MapTemplate | null; title: string }) {
  const t = useT()
  const locale = useLocale()
  const f = useFacilitation()
  const editing = useContext(OutlineEditingContext)
  const editor = useEditor()
  const cells: MapCell[] = template === null ? [] : mapCells(template)
  const [cellKey, setCellKey] = useState(cells[0]?.key ?? '')
  const [text, setText] = useState('')
  const textRef = useRef<HTMLInputElement>(null)
  const ids = useId()
  const size = useValue('private round frame size', () => {
    const props = editor.getShape(frameId as TLShapeId)?.props as { w?: number; h?: number } | undefined
    return props === undefined ? null : { w: props.w ?? 0, h: props.h ?? 0 }
  }, [editor, frameId])
  if (!canTakePart(f) || editing === null || size === null) return null
  const { mine } = f
  const cell = cells.find((c) => c.key === cellKey) ?? cells[0] ?? null
  const where = (p: { x: number; y: number }) => cells.find((c) => rectContains(c.rect, p))?.label[locale] ?? null
  const problemText = (problem: NonNullable<typeof mine.problem>) =>
    problem.kind === 'pending' ? t('private.pending') : t('private.failed', { message: problem.message })
  return (
    <>
      <form
        className="tavolo-board-text-add"
        aria-label={t('private.outline.form', { map: title })}
        data-testid="board-text-private-add"
        onSubmit={(e) => {
          e.preventDefault()
          const clean = text.trim()
          if (clean === '') {
            editing.say(t('maps.text.add.needText'))
            textRef.current?.focus()
            return
          }
          const at = cell !== null ? { x: cell.rect.x + cell.rect.w / 2, y: cell.rect.y + cell.rect.h / 2 } : { x: size.w / 2, y: size.h / 2 }
          setText('')
          void mine.add(clean, at).then((problem) => {
            if (problem !== null) editing.say(problemText(problem))
            else editing.say(cell === null ? t('private.outline.done', { text: clean }) : t('private.outline.doneIn', { text: clean, cell: cell.label[locale] }))
          })
        }}
      >
        {cell !== null && (
          <>
            <label htmlFor={`${ids}-cell`}>{t('maps.text.add.cell')}</label>
            <select id={`${ids}-cell`} value={cell.key} onChange={(e) => setCellKey(e.target.value)} data-testid="board-text-private-cell">
              {cells.map((c) => (
                <option key={c.key} value={c.key}>
                  {c.label[locale]}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor={`${ids}-text`}>{t('private.text')}</label>
        <input
          id={`${ids}-text`}
          ref={textRef}
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={MAX_SHAPE_TEXT}
          data-testid="board-text-private-text"
        />
        <button type="submit" className="tavolo-board-text-action" data-testid="board-text-private-submit">
          {cell === null ? t('private.add') : t('private.outline.addIn', { cell: cell.label[locale] })}
        </button>
      </form>
      {mine.cards.length > 0 && (
        <>
          <h4>{t('private.mine')}</h4>
          <ul data-testid="board-text-private-list">
            {mine.cards.map((c) => (
              <li key={c.id} data-card-id={c.id}>
                <span className="tavolo-board-text-card">{c.text}</span>
                {where(c) !== null && <span className="tavolo-board-text-muted"> ({where(c)})</span>}{' '}
                <button
                  type="button"
                  className="tavolo-board-text-show"
                  aria-label={t('private.remove', { text: c.text })}
                  onClick={() => {
                    // the button goes with the card: the focus goes back to the text field
                    textRef.current?.focus()
                    void mine.remove(c.id).then((problem) => editing.say(problem === null ? t('private.outline.deleted', { text: c.text }) : problemText(problem)))
                  }}
                  data-testid="board-text-private-remove"
                >
                  {t('private.outline.remove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}
