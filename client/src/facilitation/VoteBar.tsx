import { useEffect, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { plainTextOfShape } from '../../../shared/src/board/richText.ts'
import { revealedVotesOfFrame } from '../../../shared/src/facilitation/voteRecords.ts'
import type { PublicVote } from '../../../shared/src/facilitation/voteRules.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'
import { closeVote, getVote, revealVote } from './facilitationApi.ts'
import type { useMyBallot } from './useMyBallot.ts'

/** How often the facilitator's bar asks how many devices voted (a count, never the totals). */
const VOTERS_POLL_MS = 3000
/** Ranked cards the bar lists after the reveal (every card keeps its badge on the board). */
const SHOWN_RESULTS = 5

/**
 * The current vote, at the bottom of the board, phone first: its state; for voters their dots left, and "Vota" /
 * "Togli un voto" for the selected card (tap a card, then the button: works by touch, mouse and keyboard); for the
 * facilitator how many devices voted, "Chiudi", "Rivela"; after the reveal the ranking, for everyone.
 */
export function VoteBar(props: {
  vote: PublicVote
  ballot: ReturnType<typeof useMyBallot>
  role: Role
  meetingId: string
  accessKey: string | null
  large?: boolean
}) {
  const { vote, ballot, role, meetingId, accessKey } = props
  const t = useT()
  const editor = useEditor()
  const [voters, setVoters] = useState<number | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [dismissed, setDismissed] = useState<string | null>(null)
  const isFacilitator = role === 'facilitator'
  const canVote = role !== 'viewer' && vote.state === 'open'
  const selected = useValue('selected card', () => editor.getOnlySelectedShapeId(), [editor])
  const selectedInVote = selected !== null && vote.cardIds.includes(selected)
  const selectedText = useValue('selected text', () => (selected === null ? '' : plainTextOfShape(editor.getShape(selected))), [editor, selected])
  const results = useValue(
    'vote results',
    () => revealedVotesOfFrame(editor.getShape(vote.frameId as TLShapeId)).find((v) => v.id === vote.id)?.results ?? null,
    [editor, vote],
  )

  useEffect(() => {
    if (!isFacilitator || accessKey === null || vote.state === 'revealed') return
    const controller = new AbortController()
    const poll = () =>
      getVote(meetingId, accessKey, vote.id, null, controller.signal)
        .then((answer) => {
          if (answer.ok) setVoters(answer.value.voters ?? null)
        })
        .catch(() => {})
    void poll()
    const id = setInterval(() => void poll(), VOTERS_POLL_MS)
    return () => {
      controller.abort()
      clearInterval(id)
    }
  }, [isFacilitator, accessKey, meetingId, vote.id, vote.state])

  const act = async (action: typeof closeVote | typeof revealVote) => {
    if (accessKey === null) return
    setBusy(true)
    const answer = await action(meetingId, accessKey, vote.id)
    setBusy(false)
    setError(answer.ok ? null : answer.failure.kind === 'api' ? answer.failure.message : t('vote.offline'))
  }

  if (vote.state === 'revealed' && dismissed === vote.id) return null
  const mine = ballot.cardIds.filter((id) => id === selected).length
  const problem = ballot.problem === null ? null : ballot.problem.kind === 'offline' ? t('vote.offline') : t('vote.failed', { message: ballot.problem.message })

  return (
    <section className={`tavolo-vote-bar${props.large ? ' tavolo-vote-bar-large' : ''}`} aria-live="polite" data-testid="vote-bar" data-state={vote.state}>
      {vote.state === 'open' && <strong>{t('vote.open', { title: vote.title })}</strong>}
      {vote.state === 'closed' && <strong>{t('vote.closed', { title: vote.title })}</strong>}
      {vote.state === 'revealed' && <strong>{t('vote.revealed', { title: vote.title })}</strong>}

      {canVote && (
        <>
          <p className="tavolo-vote-used" data-testid="vote-used" data-used={ballot.cardIds.length}>
            <span aria-hidden="true" className="tavolo-vote-dots">
              {Array.from({ length: vote.votesPerVoter }, (_, i) => (i < ballot.cardIds.length ? '●' : '○')).join(' ')}
            </span>{' '}
            {t('vote.used', { used: ballot.cardIds.length, total: vote.votesPerVoter })}
          </p>
          {selected === null && (
            <p className="tavolo-vote-hint">
              {t('vote.hint')} <span className="tavolo-vote-hint-keyboard">{t('vote.hintKeyboard')}</span>
            </p>
          )}
          {selected !== null && !selectedInVote && <p className="tavolo-vote-hint">{t('vote.notInVote')}</p>}
          {selectedInVote && (
            <div className="tavolo-vote-actions">
              <span className="tavolo-vote-card">«{selectedText}»</span>
              <button type="button" className="tavolo-vote-button" onClick={() => void ballot.add(selected)} disabled={!ballot.canAdd(selected)} data-testid="vote-add">
                + {t('vote.add')}
              </button>
              <button type="button" className="tavolo-vote-button" onClick={() => void ballot.remove(selected)} disabled={mine === 0} data-testid="vote-remove">
                − {t('vote.remove')}
              </button>
            </div>
          )}
          {selectedInVote && !ballot.canAdd(selected) && (
            <p className="tavolo-vote-hint">{ballot.cardIds.length >= vote.votesPerVoter ? t('vote.none.left') : t('vote.onePerCard')}</p>
          )}
          <p className="tavolo-vote-device">{t('vote.device')}</p>
        </>
      )}
      {problem !== null && <p className="tavolo-vote-error" role="alert">{problem}</p>}

      {isFacilitator && vote.state !== 'revealed' && (
        <div className="tavolo-vote-actions">
          {voters !== null && <span data-testid="vote-voters" data-voters={voters}>{t(pluralKey('vote.voters', voters), { count: voters })}</span>}
          {vote.state === 'open' && (
            <button type="button" className="tavolo-vote-button" disabled={busy} onClick={() => void act(closeVote)} data-testid="vote-close">
              {t('vote.close')}
            </button>
          )}
          <button type="button" className="tavolo-vote-button tavolo-vote-primary" disabled={busy} onClick={() => void act(revealVote)} data-testid="vote-reveal">
            {t('vote.reveal')}
          </button>
        </div>
      )}
      {error !== null && <p className="tavolo-vote-error" role="alert">{error}</p>}

      {vote.state === 'revealed' && results !== null && (
        <>
          {results.every((r) => r.votes === 0) ? (
            <p>{t('vote.noVotes')}</p>
          ) : (
            <ol className="tavolo-vote-results" data-testid="vote-results">
              {results
                .filter((r) => r.votes > 0)
                .slice(0, SHOWN_RESULTS)
                .map((r) => (
                  <li key={r.cardId} data-card-id={r.cardId}>
                    {t(r.votes === 1 ? 'vote.result.one' : 'vote.result', { rank: r.rank, text: r.text, votes: r.votes })}
                  </li>
                ))}
            </ol>
          )}
          <button type="button" className="tavolo-vote-button" onClick={() => setDismissed(vote.id)}>
            {t('vote.dismiss')}
          </button>
        </>
      )}
    </section>
  )
}
