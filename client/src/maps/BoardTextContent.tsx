import { createContext, useContext, useEffect, useMemo, useRef, useState } from 'react'
import { useEditor, type Editor, type TLShapeId } from 'tldraw'
import { extractMaps, type ExtractedMaps, type MapCard, type MapData } from '../../../shared/src/maps/extract.ts'
import { BoardIndex } from '../../../shared/src/maps/meaning.ts'
import { canEditBoard } from '../../../shared/src/roles.ts'
import { useBoardSessionContext } from '../board/BoardSessionContext.tsx'
import { MeaningFields } from './MeaningFields.tsx'
import { ActorAttributeFields } from './ActorAttributeFields.tsx'
import { AddCardForm, CardChangeControls, OutlineEditingContext, OutlineMapContext, type OutlineEditing } from './BoardTextEditors.tsx'
import { CardVoteControls, OutlineFacilitationSummary, PrivateCardForm, usePrivateRoundOn } from './BoardTextFacilitation.tsx'
import type { Locale, TemplateOption } from '../../../shared/src/maps/templateSchema.ts'
import { pluralKey } from '../i18n/translate.ts'
import { useT } from '../i18n/useT.ts'

/** The live board doesn't need re-reading on every pointer move: at most this often while the panel is open. */
const REFRESH_MS = 300

/** The maps of the board as it is now (all pages). */
function readMaps(editor: Editor): ExtractedMaps & { index: BoardIndex } {
  const records = [...editor.store.query.records('shape').get(), ...editor.store.query.records('binding').get()]
  const index = new BoardIndex(records)
  return { ...extractMaps(records, index), index }
}

/** extractMaps over the board's shapes and bindings (all pages), re-read after changes, at most every REFRESH_MS. */
function useExtractedMaps(editor: Editor): ExtractedMaps & { index: BoardIndex } {
  const [maps, setMaps] = useState(() => readMaps(editor))
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null
    const off = editor.store.listen(
      () => {
        if (timer !== null) return
        timer = setTimeout(() => {
          timer = null
          setMaps(readMaps(editor))
        }, REFRESH_MS)
      },
      { scope: 'document' },
    )
    return () => {
      off()
      if (timer !== null) clearTimeout(timer)
    }
  }, [editor])
  return maps
}

/** Moves the view to a shape (its page first) and selects it. On a phone the panel then steps aside. */
function showOnBoard(editor: Editor, id: string, onShown: () => void): void {
  const shapeId = id as TLShapeId
  const pageId = editor.getAncestorPageId(shapeId)
  if (!pageId) return
  if (pageId !== editor.getCurrentPageId()) editor.setCurrentPage(pageId)
  const bounds = editor.getShapePageBounds(shapeId)
  if (!bounds) return
  editor.stopFollowingUser()
  editor.zoomToBounds(bounds.clone().expandBy(Math.max(bounds.w, bounds.h)), { animation: { duration: 300 } })
  const shape = editor.getShape(shapeId)
  if (shape && shape.type !== 'frame') editor.select(shapeId)
  onShown()
}

function label(options: readonly TemplateOption[], id: string | null, locale: Locale): string | null {
  return id === null ? null : (options.find((o) => o.id === id)?.label[locale] ?? null)
}

/** The meaning index of the text (null: the person may not edit, so no "Significato" in the list). */
const EditIndexContext = createContext<BoardIndex | null>(null)

/**
 * One card: its text, a button that shows it on the board and, on a map, "Significato" to set its meaning by
 * keyboard (the popover beside a selected card is for the pointer). Components of their own (not closures made at each
 * render) so a live update keeps the focus where a keyboard user left it.
 */
function CardItem({ card, extra, onShow }: { card: MapCard; extra?: string; onShow: (id: string) => void }) {
  const t = useT()
  const index = useContext(EditIndexContext)
  const [editing, setEditing] = useState(false)
  const text = card.text === '' ? t('maps.text.untitled') : card.text
  const onMap = index !== null && index.meaning(card.id) !== null
  return (
    <li data-testid="board-text-card" data-shape-id={card.id}>
      <span className="tavolo-board-text-card">{text.replace(/\n+/g, ' — ')}</span>
      {extra !== undefined && <span className="tavolo-board-text-muted"> ({extra})</span>}
      <button type="button" className="tavolo-board-text-show" onClick={() => onShow(card.id)} aria-label={t('maps.text.showCard', { text })}>
        {t('maps.text.show')}
      </button>
      <CardVoteControls cardId={card.id} text={text} />
      <CardChangeControls cardId={card.id} text={text} />
      {onMap && (
        <button
          type="button"
          className="tavolo-board-text-show"
          aria-expanded={editing}
          aria-label={`${t('maps.card.edit')}: ${text}`}
          onClick={() => setEditing(!editing)}
          data-testid="board-text-meaning"
        >
          {t('maps.card.edit')}
        </button>
      )}
      {onMap && editing && (
        <div className="tavolo-board-text-meaning">
          <MeaningFields shapeId={card.id as TLShapeId} index={index} testIdPrefix="board-text-meaning" />
          <ActorAttributeFields shapeId={card.id as TLShapeId} index={index} testIdPrefix="board-text-meaning" />
        </div>
      )}
    </li>
  )
}

/** A map's form: board cards, or this device's private cards while the private round is on this map. */
function MapAddForm({ map }: { map: MapData }) {
  const privateOn = usePrivateRoundOn(map.frameId)
  return privateOn ? (
    <PrivateCardForm frameId={map.frameId} template={map.template} title={map.title} />
  ) : (
    <AddCardForm frameId={map.frameId} template={map.template} mapTitle={map.title} />
  )
}

function CardList({ cards, onShow }: { cards: MapCard[]; onShow: (id: string) => void }) {
  const t = useT()
  if (cards.length === 0) return <p className="tavolo-board-text-muted">{t('maps.text.noCards')}</p>
  return (
    <ul>
      {cards.map((c) => (
        <CardItem key={c.id} card={c} onShow={onShow} />
      ))}
    </ul>
  )
}

/** The board as headings, lists and text: one section per map, then the other contents. */
export function BoardTextContent({ locale, onShown }: { locale: Locale; onShown: () => void }) {
  const t = useT()
  const editor = useEditor()
  const { role } = useBoardSessionContext()
  const { maps, others, index } = useExtractedMaps(editor)
  const show = (id: string) => showOnBoard(editor, id, onShown)
  const [status, setStatus] = useState('')
  const moved = useRef<{ id: string; until: number } | null>(null)
  const canEdit = canEditBoard(role)
  const editing = useMemo<OutlineEditing | null>(
    () =>
      canEdit
        ? {
            index,
            say: setStatus,
            // A few seconds: long enough for the outline's next refresh, never a focus taken much later.
            markMoved: (id) => (moved.current = { id, until: Date.now() + 3000 }),
            justMoved: (id) => moved.current !== null && moved.current.id === id && moved.current.until >= Date.now(),
          }
        : null,
    [canEdit, index],
  )

  const mapBody = (map: MapData) => {
    switch (map.kind) {
      case 'issues':
        return (
          <>
            <p>
              <strong>{t('maps.text.question')}:</strong> {map.question}
            </p>
            {map.facets.map((f) => (
              <div key={f.id}>
                <h4>{label(map.template.facets, f.id, locale)}</h4>
                <CardList onShow={show} cards={f.cards} />
              </div>
            ))}
            {map.unplaced.length > 0 && (
              <>
                <h4>{t('maps.text.unplacedCards')}</h4>
                <CardList onShow={show} cards={map.unplaced} />
              </>
            )}
          </>
        )
      case 'actors': {
        const unplaced = map.actors.filter((a) => a.category === null)
        return (
          <>
            {map.template.categories.map((c) => {
              const actors = map.actors.filter((a) => a.category === c.id)
              return (
                <div key={c.id}>
                  <h4>{c.label[locale]}</h4>
                  {actors.length === 0 ? (
                    <p className="tavolo-board-text-muted">{t('maps.text.noActors')}</p>
                  ) : (
                    <ul>
                      {actors.map((a) => (
                        <CardItem key={a.id} onShow={show} card={a} extra={label(map.template.levels, a.level, locale) ?? t('maps.text.unplaced')} />
                      ))}
                    </ul>
                  )}
                </div>
              )
            })}
            {unplaced.length > 0 && (
              <>
                <h4>{t('maps.text.unplaced')}</h4>
                <ul>
                  {unplaced.map((a) => (
                    <CardItem key={a.id} onShow={show} card={a} extra={label(map.template.levels, a.level, locale) ?? undefined} />
                  ))}
                </ul>
              </>
            )}
          </>
        )
      }
      case 'architecture': {
        const nameOf = (id: string | null) => map.nodes.find((n) => n.id === id)?.name || '?'
        return (
          <>
            <h4>{t('maps.text.nodes')}</h4>
            {map.nodes.length === 0 ? (
              <p className="tavolo-board-text-muted">{t('maps.text.noCards')}</p>
            ) : (
              <ul>
                {map.nodes.map((n) => (
                  <CardItem key={n.id} onShow={show} card={n} extra={label(map.template.nodeTypes, n.nodeType, locale) ?? undefined} />
                ))}
              </ul>
            )}
            <h4>{t('maps.text.relations')}</h4>
            {map.edges.length === 0 ? (
              <p className="tavolo-board-text-muted">{t('maps.text.noRelations')}</p>
            ) : (
              <ul>
                {map.edges.map((e) => (
                  <li key={e.id} data-testid="board-text-edge">
                    {nameOf(e.from)} → {nameOf(e.to)}
                    {e.label !== '' && <>: {e.label}</>}
                    <button type="button" className="tavolo-board-text-show" onClick={() => show(e.id)} aria-label={t('maps.text.showCard', { text: `${nameOf(e.from)} → ${nameOf(e.to)}` })}>
                      {t('maps.text.show')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )
      }
      case 'programme':
        return (
          <>
            {map.template.phases.map((p, i) => {
              const rows = map.template.rows.filter((r) => (map.cells[p.id]?.[r.id] ?? []).length > 0)
              return (
                <div key={p.id}>
                  <h4>
                    {t('maps.card.phase')} {i + 1} · {p.label[locale]}
                  </h4>
                  {rows.length === 0 && <p className="tavolo-board-text-muted">{t('maps.text.noCards')}</p>}
                  {rows.map((r) => (
                    <div key={r.id}>
                      <h5>{r.label[locale]}</h5>
                      <CardList onShow={show} cards={map.cells[p.id]?.[r.id] ?? []} />
                    </div>
                  ))}
                </div>
              )
            })}
            {map.unplaced.length > 0 && (
              <>
                <h4>{t('maps.text.unplacedCards')}</h4>
                <CardList onShow={show} cards={map.unplaced} />
              </>
            )}
          </>
        )
    }
  }

  if (maps.length === 0 && others.length === 0) return <p>{t('maps.text.empty')}</p>
  const count = (n: number) => t(pluralKey('maps.text.cardCount', n), { count: n })
  return (
    <EditIndexContext.Provider value={canEdit ? index : null}>
     <OutlineEditingContext.Provider value={editing}>
      <p className="tavolo-board-text-status" role="status" data-testid="board-text-status">
        {status}
      </p>
      <OutlineFacilitationSummary mapFrameIds={maps.map((m) => m.frameId)} />
      {maps.map((map) => (
        <OutlineMapContext.Provider key={map.frameId} value={{ frameId: map.frameId, template: map.template }}>
        <section aria-labelledby={`board-text-${map.frameId}`} data-testid="board-text-map" data-template={map.template.id}>
          <h3 id={`board-text-${map.frameId}`}>{map.title}</h3>
          <button type="button" className="tavolo-board-text-show" onClick={() => show(map.frameId)}>
            {t('maps.text.showMap')}
          </button>
          <MapAddForm map={map} />
          {mapBody(map)}
        </section>
        </OutlineMapContext.Provider>
      ))}
      {others.length > 0 && (
        <section aria-labelledby="board-text-others" data-testid="board-text-others">
          <h3 id="board-text-others">
            {t('maps.text.other')} <span className="tavolo-board-text-muted">({count(others.length)})</span>
          </h3>
          <CardList onShow={show} cards={others} />
        </section>
      )}
     </OutlineEditingContext.Provider>
    </EditIndexContext.Provider>
  )
}
