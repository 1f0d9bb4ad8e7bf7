import { useId, useMemo, useState } from 'react'
import { useEditor, type TLShape } from 'tldraw'
import { VOTES_PER_VOTER_DEFAULT, VOTES_PER_VOTER_MAX, VOTES_PER_VOTER_MIN } from '../../../shared/src/facilitation/voteRules.ts'
import { mapFrameMeta } from '../../../shared/src/maps/meaning.ts'
import { getTemplate } from '../../../shared/src/maps/templates.ts'
import type { MapTemplate } from '../../../shared/src/maps/templateSchema.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { FrameStartDialog } from './FrameStartDialog.tsx'
import { startVote } from './facilitationApi.ts'

/** The ids a vote's `cell` may name on a map: one facet, category, level, phase or row (DV2). */
function cellOptions(template: MapTemplate): ReadonlyArray<{ id: string; label: { it: string; en: string } }> {
  switch (template.kind) {
    case 'issues':
      return template.facets
    case 'actors':
      return [...template.categories, ...template.levels]
    case 'programme':
      return [...template.phases, ...template.rows]
    case 'architecture':
      return template.nodeTypes
  }
}

/** The frame the selection is, or is inside of; else the first map on the page; else the first frame. */
export function preselectedFrame(editor: ReturnType<typeof useEditor>, frames: TLShape[]): string {
  for (const id of editor.getSelectedShapeIds()) {
    let shape = editor.getShape(id)
    while (shape !== undefined) {
      if (shape.type === 'frame') return shape.id
      shape = editor.getShape(shape.parentId as TLShape['id'])
    }
  }
  return (frames.find((f) => mapFrameMeta(f) !== null) ?? frames[0])?.id ?? ''
}

/** DV1: "Vota le priorità": which frame (and cell), how many votes, one per card or not, who closes. */
export function StartVoteDialog({ meetingId, accessKey, onClose }: { meetingId: string; accessKey: string; onClose(): void }) {
  const t = useT()
  const locale = useLocale()
  const editor = useEditor()
  const ids = useId()
  const frames = useMemo(() => editor.getCurrentPageShapes().filter((s) => s.type === 'frame'), [editor])
  const [frameId, setFrameId] = useState(() => preselectedFrame(editor, frames))
  const [cell, setCell] = useState('')
  const [title, setTitle] = useState(() => t('vote.dialog.defaultTitle'))
  const [perVoter, setPerVoter] = useState(VOTES_PER_VOTER_DEFAULT)
  const [onePerCard, setOnePerCard] = useState(false)
  const [byTimer, setByTimer] = useState(false)
  const [minutes, setMinutes] = useState(5)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const frame = frames.find((f) => f.id === frameId)
  const meta = frame === undefined ? null : mapFrameMeta(frame)
  const template = meta === null ? null : getTemplate(meta.template)

  const submit = async () => {
    setBusy(true)
    setError(null)
    const answer = await startVote(meetingId, accessKey, {
      frameId,
      cell: cell === '' ? null : cell,
      title: title.trim() === '' ? undefined : title.trim(),
      votesPerVoter: Math.min(VOTES_PER_VOTER_MAX, Math.max(VOTES_PER_VOTER_MIN, Math.round(perVoter))),
      onePerCard,
      closesAt: byTimer ? new Date(Date.now() + Math.max(1, minutes) * 60_000).toISOString() : null,
    })
    setBusy(false)
    if (answer.ok) onClose()
    else setError(answer.failure.kind === 'api' ? answer.failure.message : t('vote.offline'))
  }

  return (
    <FrameStartDialog
      testId="vote-dialog"
      title={t('vote.dialog.title')}
      frames={frames}
      frameId={frameId}
      onFrameChange={(id) => (setFrameId(id), setCell(''))}
      frameTestId="vote-frame"
      hint={t('vote.dialog.anonymous')}
      error={error}
      busy={busy}
      submitLabel={busy ? t('vote.dialog.starting') : t('vote.dialog.submit')}
      submitTestId="vote-submit"
      onSubmit={() => void submit()}
      onClose={onClose}
    >
      {template !== null && (
        <>
          <label htmlFor={`${ids}-cell`}>{t('vote.dialog.cell')}</label>
          <select id={`${ids}-cell`} value={cell} onChange={(e) => setCell(e.target.value)} data-testid="vote-cell">
            <option value="">{t('vote.dialog.allCells')}</option>
            {cellOptions(template).map((o) => (
              <option key={o.id} value={o.id}>
                {o.label[locale]}
              </option>
            ))}
          </select>
        </>
      )}
      <label htmlFor={`${ids}-title-input`}>{t('vote.dialog.voteTitle')}</label>
      <input id={`${ids}-title-input`} type="text" maxLength={120} value={title} onChange={(e) => setTitle(e.target.value)} />
      <label htmlFor={`${ids}-per`}>{t('vote.dialog.perVoter')}</label>
      <input
        id={`${ids}-per`}
        type="number"
        min={VOTES_PER_VOTER_MIN}
        max={VOTES_PER_VOTER_MAX}
        value={perVoter}
        onChange={(e) => setPerVoter(Number(e.target.value))}
        data-testid="vote-per-voter"
      />
      <label className="tavolo-inline">
        <input type="checkbox" checked={onePerCard} onChange={(e) => setOnePerCard(e.target.checked)} /> {t('vote.dialog.onePerCard')}
      </label>
      <fieldset>
        <legend>{t('vote.dialog.closing')}</legend>
        <label className="tavolo-inline">
          <input type="radio" name={`${ids}-closing`} checked={!byTimer} onChange={() => setByTimer(false)} /> {t('vote.dialog.closeByHand')}
        </label>
        <label className="tavolo-inline">
          <input type="radio" name={`${ids}-closing`} checked={byTimer} onChange={() => setByTimer(true)} /> {t('vote.dialog.closeByTimer')}
          <input type="number" min={1} max={240} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label={t('vote.dialog.minutes')} />
          {t('vote.dialog.minutes')}
        </label>
      </fieldset>
    </FrameStartDialog>
  )
}
