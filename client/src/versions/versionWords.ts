/**
 * Versions and their differences said in plain words (pure: a translate function in, strings out), for people who
 * are not digital natives: "Versione 3 (di 9)", "Salvata prima di un ripristino", "Cambiato: nota «Pro Loco», testo
 * da «…» a «…»".
 */
import type { BoardDiff, DiffShape, VersionKind, VersionSummary } from '../../../shared/src/versions/versionSchemas.ts'
import type { MessageKey } from '../i18n/it.ts'
import { pluralKey, type Translate } from '../i18n/translate.ts'
import type { Role } from '../../../shared/src/roles.ts'

export const KIND_LABEL: Record<VersionKind, MessageKey> = {
  manual: 'versions.kind.manual',
  'session-end': 'versions.kind.session-end',
  'before-restore': 'versions.kind.before-restore',
  restored: 'versions.kind.restored',
  imported: 'versions.kind.imported',
  continued: 'versions.kind.continued',
}

const ROLE_WORD: Record<Role, MessageKey> = {
  facilitator: 'role.facilitator',
  participant: 'role.participant',
  viewer: 'role.viewer',
}

/** "Federica (Conduci l’incontro)", the role alone when no name was given, or "Tavolo" for automatic versions. */
export function authorWords(t: Translate, author: VersionSummary['author']): string {
  if (!author) return t('app.name')
  const role = t(ROLE_WORD[author.role])
  return author.name ? `${author.name} (${role})` : role
}

export function shapeCountWords(t: Translate, count: number): string {
  return t(pluralKey('versions.shapes', count), { count })
}

/** Long texts are cut so a list line stays readable; the board shows the whole text. */
export function clip(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const NAMED_TYPES = new Set(['note', 'text', 'frame', 'geo', 'arrow'])

/** "nota «Pro Loco»", "cornice senza nome", "elemento (line)". */
export function shapeWords(t: Translate, shape: Pick<DiffShape, 'type' | 'text'>): string {
  const text = clip(shape.text)
  const known = NAMED_TYPES.has(shape.type)
  if (text === '') {
    if (shape.type === 'text') return t('versions.shape.noText.other', { type: shape.type })
    return known
      ? t(`versions.shape.noText.${shape.type as 'note' | 'frame' | 'geo' | 'arrow'}`)
      : t('versions.shape.noText.other', { type: shape.type })
  }
  return known ? t(`versions.shape.${shape.type as 'note' | 'text' | 'frame' | 'geo' | 'arrow'}`, { text }) : t('versions.shape.other', { type: shape.type, text })
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'moved'

/** One line of the change list: what it is, where it is on the board (to zoom to), in words. */
export interface ChangeLine {
  key: string
  kind: ChangeKind
  shapeId: string
  words: string
  /** Page-space box to zoom to (null when the diff gave no size: a point). */
  box: { x: number; y: number; w: number; h: number }
  /** Moves only: where the shape was (page space), drawn as a faint outline. */
  fromBox?: { x: number; y: number; w: number; h: number }
}

function boxOf(shape: DiffShape): ChangeLine['box'] {
  return { x: shape.at.x, y: shape.at.y, w: shape.size?.w ?? 1, h: shape.size?.h ?? 1 }
}

/** Property names the list shows as they are would mean nothing to most people: only the count of them is said. */
function fieldsWords(t: Translate, fields: string[]): string | null {
  const shown = fields.filter((f) => !/^props\.(richText|text|name)$/.test(f)).map((f) => f.replace(/^(props|meta)\./, ''))
  return shown.length === 0 ? null : t('versions.change.props', { list: shown.join(', ') })
}

/** The shape-level diff as lines, in the order people look for them: added, changed, moved, removed. */
export function changeLines(t: Translate, diff: BoardDiff): ChangeLine[] {
  const lines: ChangeLine[] = []
  for (const shape of diff.added) {
    lines.push({ key: `added:${shape.id}`, kind: 'added', shapeId: shape.id, words: t('versions.change.added', { what: shapeWords(t, shape) }), box: boxOf(shape) })
  }
  for (const change of diff.changed) {
    const parts = [shapeWords(t, change.text ? { type: change.shape.type, text: change.text.before } : change.shape)]
    if (change.text) {
      const empty = t('versions.change.emptyText')
      parts.push(t('versions.change.text', { before: clip(change.text.before) || empty, after: clip(change.text.after) || empty }))
    }
    const fields = fieldsWords(t, change.fields)
    if (fields) parts.push(fields)
    lines.push({ key: `changed:${change.shape.id}`, kind: 'changed', shapeId: change.shape.id, words: t('versions.change.changed', { what: parts.join(', ') }), box: boxOf(change.shape) })
  }
  for (const move of diff.moved) {
    const box = boxOf(move.shape)
    lines.push({
      key: `moved:${move.shape.id}`,
      kind: 'moved',
      shapeId: move.shape.id,
      words: t('versions.change.moved', { what: shapeWords(t, move.shape) }),
      box,
      fromBox: { x: move.from.x, y: move.from.y, w: box.w, h: box.h },
    })
  }
  for (const shape of diff.removed) {
    lines.push({ key: `removed:${shape.id}`, kind: 'removed', shapeId: shape.id, words: t('versions.change.removed', { what: shapeWords(t, shape) }), box: boxOf(shape) })
  }
  return lines
}

export interface SemanticLine {
  text: string
  /** The card, node or arrow the line is about, to zoom to it (null for a whole map). */
  shapeId: string | null
}

/**
 * The semantic part of a diff (issue 10: the maps' words, `{ kind, map, shapeId, it, en }` items) comes as `unknown`
 * in the versions contract, so it is read defensively: a list of such items (or of strings), bare or under
 * `changes` / `lines` / `items`; each item's text in the person's language, else any text it has. Anything else shows
 * nothing rather than something wrong.
 */
export function semanticLines(semantic: unknown, locale: 'it' | 'en' = 'it'): SemanticLine[] {
  const fromItem = (item: unknown): SemanticLine | null => {
    if (typeof item === 'string') return { text: item, shapeId: null }
    if (typeof item !== 'object' || item === null) return null
    const record = item as Record<string, unknown>
    const shapeId = typeof record.shapeId === 'string' ? record.shapeId : null
    for (const field of [locale, 'text', 'message', 'description', 'it', 'en']) {
      const value = record[field]
      if (typeof value === 'string') return { text: value, shapeId }
    }
    return null
  }
  const list = Array.isArray(semantic)
    ? semantic
    : typeof semantic === 'object' && semantic !== null
      ? (['changes', 'lines', 'items'].map((k) => (semantic as Record<string, unknown>)[k]).find(Array.isArray) ?? [])
      : []
  return (list as unknown[]).map(fromItem).filter((s): s is SemanticLine => s !== null && s.text.trim() !== '')
}
