import { afterEach, expect, test } from 'vitest'
import * as Y from 'yjs'
import { YKeyValue } from 'y-utility/y-keyvalue'
import { createShapeId } from 'tldraw'
import { createYjsBridge } from '../../client/src/board/yjsBridge.ts'
import { createBoardStore, seedEmptyBoard } from '../../client/src/board/boardStore.ts'
import { RECORDS_ARRAY } from '../../shared/src/boardDocument.ts'
import { noteRecord } from '../helpers/fixtures.ts'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

test('B7: a read-only bridge (viewer) applies remote changes but never writes to the Y.Doc', () => {
  // A facilitator's doc with a board in it.
  const source = new Y.Doc()
  const sourceStore = createBoardStore()
  const writer = createYjsBridge({ store: sourceStore, doc: source })
  seedEmptyBoard(sourceStore, 'Pagina 1')
  const viewerDoc = new Y.Doc()
  Y.applyUpdate(viewerDoc, Y.encodeStateAsUpdate(source))
  const viewerStore = createBoardStore()
  const reader = createYjsBridge({ store: viewerStore, doc: viewerDoc, readOnly: true })
  cleanups.push(() => {
    writer.dispose()
    reader.dispose()
    source.destroy()
    viewerDoc.destroy()
  })
  let viewerUpdates = 0
  viewerDoc.on('update', (_u: Uint8Array, origin: unknown) => {
    if (origin !== 'network') viewerUpdates++
  })
  source.on('update', (u: Uint8Array) => Y.applyUpdate(viewerDoc, u, 'network'))

  // Remote → viewer store works.
  const id = createShapeId('n1')
  const note = noteRecord('n1', 'ciao', 10, 20)
  sourceStore.put([note])
  expect(viewerStore.get(id)).toMatchObject({ x: 10, y: 20 })

  // A local user change on the viewer (like tldraw's own `user` record on mount) stays local.
  viewerStore.put([{ ...viewerStore.get(id)!, x: 999 } as never])
  viewerStore.put([viewerStore.schema.types.user.create({ id: 'user:someone' as never, name: '', color: '#000000' }) as never])
  expect(viewerUpdates).toBe(0)
  const records = new YKeyValue<Record<string, unknown>>(viewerDoc.getArray(RECORDS_ARRAY))
  expect(records.get(id)).toMatchObject({ x: 10 })
  expect(records.get('user:someone')).toBeUndefined()
})
