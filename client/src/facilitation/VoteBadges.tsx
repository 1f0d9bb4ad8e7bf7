import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { cardVoteOf } from '../../../shared/src/facilitation/voteRecords.ts'
import type { PublicVote } from '../../../shared/src/facilitation/voteRules.ts'
import { useT } from '../i18n/useT.ts'

interface DotBadge {
  id: string
  x: number
  y: number
  /** This device's dots (before the reveal) or the card's total (after). */
  count: number
  rank: number | null
}

/**
 * Dots on the cards of the current vote, at each card's top-right corner, in front of the canvas: before the reveal
 * only this device's own dots (nobody else's, DV7); after it every card's total and rank, as the board records them
 * (`meta.tavoloVote`, DV9). `pointer-events: none`: never in the way of a drag.
 */
export function VoteBadges({ vote, mine, large = false }: { vote: PublicVote; mine: readonly string[]; large?: boolean }) {
  const t = useT()
  const editor = useEditor()
  const badges = useValue(
    'vote badges',
    () => {
      const out: DotBadge[] = []
      const revealed = vote.state === 'revealed'
      const counts = new Map<string, number>()
      for (const id of mine) counts.set(id, (counts.get(id) ?? 0) + 1)
      for (const id of vote.cardIds) {
        const shape = editor.getShape(id as TLShapeId)
        if (shape === undefined || shape.parentId === undefined) continue
        if (editor.getAncestorPageId(shape) !== editor.getCurrentPageId()) continue
        let count = counts.get(id) ?? 0
        let rank: number | null = null
        if (revealed) {
          const result = cardVoteOf(shape)
          if (result === null || result.voteId !== vote.id || result.votes === 0) continue
          count = result.votes
          rank = result.rank
        } else if (count === 0) continue
        const bounds = editor.getShapePageBounds(shape)
        if (!bounds) continue
        const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
        out.push({ id, x: corner.x, y: corner.y, count, rank })
      }
      return out
    },
    [editor, vote, mine],
  )
  return (
    <>
      {badges.map((b) => {
        const label = b.rank === null ? t('vote.badge.mine', { count: b.count }) : t('vote.badge.result', { votes: b.count, rank: b.rank })
        return (
          <div
            key={b.id}
            className={`tavolo-vote-badge${b.rank === null ? ' tavolo-vote-badge-mine' : ''}${large ? ' tavolo-vote-badge-large' : ''}`}
            style={{ transform: `translate(${Math.round(b.x)}px, ${Math.round(b.y)}px) translate(-70%, -50%)` }}
            role="img"
            aria-label={label}
            title={label}
            data-testid="vote-badge"
            data-shape-id={b.id}
            data-votes={b.count}
            data-rank={b.rank ?? ''}
          >
            <span aria-hidden="true">●</span> {b.count}
            {b.rank !== null && <span className="tavolo-vote-rank"> · {b.rank}°</span>}
          </div>
        )
      })}
    </>
  )
}
