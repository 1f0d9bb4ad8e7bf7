import {
  DocumentRecordType,
  PageRecordType,
  TLDOCUMENT_ID,
  createTLStore,
  defaultBindingUtils,
  type IndexKey,
  type Signal,
  type TLStore,
} from 'tldraw'
import { shapeUtilsWithLazyPattern } from './lazyPatternFill.tsx'

/** The shape and binding utilities of a Tavolo board (custom map cards will join them here). */
export const boardShapeUtils = shapeUtilsWithLazyPattern
export const boardBindingUtils = defaultBindingUtils

/**
 * A fresh, empty tldraw store with the board's schema. With `collaborationStatus`, tldraw treats the store as
 * multiplayer (collaborator cursors, people menu, its own offline indicator).
 */
export function createBoardStore(options: { collaborationStatus?: Signal<'online' | 'offline'> } = {}): TLStore {
  return createTLStore({
    shapeUtils: boardShapeUtils,
    bindingUtils: boardBindingUtils,
    ...(options.collaborationStatus ? { collaboration: { status: options.collaborationStatus } } : {}),
  })
}

/** The id of the first page: deterministic, so two clients that seed at once write the same record. */
export const FIRST_PAGE_ID = PageRecordType.createId('page')

/**
 * Seeds an empty board: the document record and one page. Call it only when the Y.Doc is known to be empty
 * after syncing with the server (see boardSession.ts); the put is a user change, so the bridge sends it out.
 */
export function seedEmptyBoard(store: TLStore, pageName: string): void {
  store.put([
    DocumentRecordType.create({ id: TLDOCUMENT_ID }),
    PageRecordType.create({ id: FIRST_PAGE_ID, name: pageName, index: 'a1' as IndexKey }),
  ])
}
