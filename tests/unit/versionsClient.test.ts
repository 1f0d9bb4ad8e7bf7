/**
 * The browser side of versions, without a browser: the versions routes, the words of a diff, and the read-only store
 * a version is loaded into (an invalid record is left out and reported, never failing the whole version).
 */
import { describe, expect, test } from 'vitest'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, toRichText } from 'tldraw'
import { parseRoute, versionsPath } from '../../client/src/app/routes.ts'
import { createTranslate } from '../../client/src/i18n/translate.ts'
import { loadVersionStore } from '../../client/src/versions/versionStore.ts'
import { changeLines, semanticLines, shapeWords } from '../../client/src/versions/versionWords.ts'
import type { BoardId } from '../../shared/src/boardId.ts'
import { canSeeVersions } from '../../shared/src/versions/versionAccess.ts'
import type { BoardDiff, DiffShape } from '../../shared/src/versions/versionSchemas.ts'

const it = createTranslate('it')
const board = 'abc-1' as BoardId

describe('versions routes', () => {
  test('list, one version, a comparison with a version or the live board; bad numbers are not found', () => {
    expect(parseRoute('/board/abc-1/versions', '#k=K')).toEqual({ kind: 'versions', boardId: 'abc-1', key: 'K', view: { kind: 'list' } })
    expect(parseRoute('/board/abc-1/versions/3', '#k=K')).toEqual({ kind: 'versions', boardId: 'abc-1', key: 'K', view: { kind: 'version', number: 3 } })
    expect(parseRoute('/board/abc-1/versions/1/compare/3', '')).toEqual({
      kind: 'versions',
      boardId: 'abc-1',
      key: null,
      view: { kind: 'compare', from: 1, to: 3 },
    })
    expect(parseRoute('/board/abc-1/versions/2/compare/live', '#k=K')).toMatchObject({ view: { kind: 'compare', from: 2, to: 'live' } })
    for (const bad of ['/board/abc-1/versions/0', '/board/abc-1/versions/-1', '/board/abc-1/versions/01', '/board/abc-1/versions/x', '/board/abc-1/versions/1/compare/x']) {
      expect(parseRoute(bad, '')).toEqual({ kind: 'notFound' })
    }
    expect(parseRoute('/board/a%20b/versions', '')).toEqual({ kind: 'badBoardId' })
  })

  test('versionsPath round-trips through parseRoute', () => {
    for (const view of [{ kind: 'list' as const }, { kind: 'version' as const, number: 12 }, { kind: 'compare' as const, from: 1, to: 'live' as const }]) {
      const path = versionsPath(board, 'k y', view)
      const url = new URL(path, 'http://x')
      expect(parseRoute(url.pathname, url.hash)).toEqual({ kind: 'versions', boardId: board, key: 'k y', view })
    }
  })
})

describe('who sees the versions (V12: the server refuses by this rule; the client hides the button by the same one)', () => {
  test('facilitators always; participants with participants or everyone; viewers with everyone', () => {
    expect(canSeeVersions('facilitator', 'facilitators')).toBe(true)
    expect(canSeeVersions('participant', 'facilitators')).toBe(false)
    expect(canSeeVersions('participant', 'participants')).toBe(true)
    expect(canSeeVersions('viewer', 'participants')).toBe(false)
    expect(canSeeVersions('viewer', 'everyone')).toBe(true)
  })
})

const shape = (id: string, type: string, text: string): DiffShape => ({ id, type, text, pageId: 'page:page', at: { x: 10, y: 20 }, size: { w: 200, h: 200 } })

describe('a diff in words', () => {
  test('each kind of change says what it is, with old and new text', () => {
    const diff: BoardDiff = {
      added: [shape('shape:a', 'note', 'Pro Loco')],
      removed: [shape('shape:r', 'frame', '')],
      changed: [{ shape: shape('shape:c', 'note', 'Biblioteca aperta'), fields: ['props.richText', 'props.color'], text: { before: 'Biblioteca', after: 'Biblioteca aperta' } }],
      moved: [{ shape: shape('shape:m', 'geo', ''), from: { x: 0, y: 0 }, to: { x: 10, y: 20 }, parent: null }],
      others: [],
      summary: { added: 1, removed: 1, changed: 1, moved: 1, others: 0 },
    }
    const lines = changeLines(it, diff)
    expect(lines.map((l) => [l.kind, l.words])).toEqual([
      ['added', 'Aggiunto: nota «Pro Loco»'],
      ['changed', 'Cambiato: nota «Biblioteca», testo da «Biblioteca» a «Biblioteca aperta», cambiati: color'],
      ['moved', 'Spostato: forma'],
      ['removed', 'Tolto: cornice senza nome'],
    ])
    expect(lines[0]!.box).toEqual({ x: 10, y: 20, w: 200, h: 200 })
    // A move also says where the shape was, to outline its old place.
    expect(lines[2]!.fromBox).toEqual({ x: 0, y: 0, w: 200, h: 200 })
  })

  test('long texts are cut; unknown types say their type', () => {
    expect(shapeWords(it, { type: 'note', text: 'x'.repeat(100) })).toBe(`nota «${'x'.repeat(59)}…»`)
    expect(shapeWords(it, { type: 'line', text: '' })).toBe('elemento (line)')
  })

  test('the semantic part is shown as lines when it is a list of texts, and ignored otherwise', () => {
    expect(semanticLines(['Attore «Pro Loco» spostato'])).toEqual([{ text: 'Attore «Pro Loco» spostato', shapeId: null }])
    const item = { kind: 'edge-added', shapeId: 'shape:e', it: 'Nuovo collegamento: A → B', en: 'New link: A → B' }
    expect(semanticLines({ changes: [item, { nope: 1 }] }, 'en')).toEqual([{ text: 'New link: A → B', shapeId: 'shape:e' }])
    expect(semanticLines([item], 'it')).toEqual([{ text: 'Nuovo collegamento: A → B', shapeId: 'shape:e' }])
    expect(semanticLines(undefined)).toEqual([])
    expect(semanticLines(42)).toEqual([])
  })
})

describe('loadVersionStore', () => {
  const schema = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils }).schema.serialize()
  const page = { id: 'page:page', typeName: 'page', name: 'Pagina 1', index: 'a1', meta: {} }
  const documentRecord = { id: 'document:document', typeName: 'document', gridSize: 10, name: '', meta: {} }
  const note = (id: string, parentId = 'page:page', extra: Record<string, unknown> = {}) => ({
    id,
    typeName: 'shape',
    type: 'note',
    parentId,
    index: 'a1',
    x: 0,
    y: 0,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      richText: toRichText('ciao'),
      scale: 1,
      textLastEditedBy: null,
    },
    ...extra,
  })

  test('valid records load; a record with a wrong prop, an orphan and a session record are left out and named', () => {
    const good = note('shape:good')
    const badProps = { ...note('shape:bad'), props: { ...note('shape:bad').props, color: 'not-a-colour' } }
    const orphan = note('shape:orphan', 'shape:missing-frame')
    const { store, skipped } = loadVersionStore([documentRecord, page, good, badProps, orphan, { id: 'instance:x', typeName: 'instance' }, 'junk'], schema)
    expect(store.get('shape:good' as never)).toBeTruthy()
    expect(store.get('shape:bad' as never)).toBeUndefined()
    expect(skipped.map((s) => s.id).sort()).toEqual(['?', 'instance:x', 'shape:bad', 'shape:orphan'])
    expect(skipped.find((s) => s.id === 'shape:orphan')!.reason).toContain('parent')
  })

  test('tldraw’s own document records (its user records) load like the board’s', () => {
    const user = { id: 'user:federica', typeName: 'user', name: 'Federica', color: '#e03131', imageUrl: '', meta: {} }
    const { store, skipped } = loadVersionStore([documentRecord, page, user], schema)
    expect(skipped).toEqual([])
    expect(store.get('user:federica' as never)).toBeTruthy()
  })

  test('records made with an older schema are migrated (here: a note saved before richText, with plain text)', () => {
    // tldraw 3.x notes had props.text; the migration turns it into richText.
    const older = structuredClone(schema) as { schemaVersion: 2; sequences: Record<string, number> }
    older.sequences['com.tldraw.shape.note'] = 8
    const { richText: _r, textLastEditedBy: _t, ...propsBefore } = note('shape:old').props
    const oldNote = { ...note('shape:old'), props: { ...propsBefore, text: 'vecchia nota' } }
    const { store, skipped } = loadVersionStore([documentRecord, page, oldNote], older)
    expect(skipped).toEqual([])
    const loaded = store.get('shape:old' as never) as unknown as { props: { richText: unknown } }
    expect(JSON.stringify(loaded.props.richText)).toContain('vecchia nota')
  })
})
