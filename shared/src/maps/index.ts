/**
 * The four maps of a participatory process (issues, actors, operative architecture, programme) as tldraw frames
 * with meaning. Pure (no DOM, no Node): the client and the server use the same functions.
 *
 * - Templates are data: `templates/*.json`, validated by `templateSchema.ts` (`MapTemplateSchema`) when first asked
 *   for; `mapTemplates()` lists them, `getTemplate(id)` finds one. Labels in `it` and `en`; geometry in frame
 *   coordinates.
 * - `instantiateTemplate(template, { x, y, locale, makeId, parentId?, index? })` → plain tldraw 5.4.2 shape
 *   records: the frame first (`meta.tavoloMap = { template, templateVersion }`, `meta.tavoloLocked`, tldraw
 *   `isLocked: false` so cards can be dropped in), then its locked structure (`meta.tavoloMapPart`) and, for the
 *   architecture, the default instrument nodes (unlocked; `meta.tavoloMap = { instrument, nodeType }`).
 *   Put them with `editor.store.put(records)` (or `editor.createShapes`), in one `editor.run`.
 * - `cardMeaning(records, cardId)` → `CardMeaning | null`: the map the card is in and its facet / category+level /
 *   phase+row / nodeType, from its page-space centre (composed through parents) and the overrides in
 *   `meta.tavoloMap` ({ facet } | { category, level } | { phase, row } | { nodeType, instrument }), which win.
 *   `overridden` lists the fields set explicitly. For many cards build one `new BoardIndex(records)` and call
 *   `index.meaning(id)`.
 * - `mapFrameMeta(record)`, `isMapStructure(record)`, `isCard(record)`, `meaningOverride(record)`: record tests.
 * - `optionLabel(template, field, id, locale)`: the label of a facet, category, level, phase, row or node type.
 * - `extractMaps(records)` → `{ maps: MapData[], others }`: every map's content (facets → cards; actors with
 *   name, notes, category, level; architecture nodes and arrows-with-bindings as edges; programme cells) and the
 *   cards on no map ("Altri contenuti"). Feeds the report and the "Testo della lavagna" panel.
 * - `semanticDiff(fromRecords, toRecords)` → `SemanticChange[]` `{ kind, map, shapeId, it, en }`: the changes in the
 *   maps' words in both languages (the versions' diff endpoint returns it as `semantic`).
 * - `noteRecord`, `arrowRecords`, `placeRect`, `slotPosition`: cards placed by meaning (demo, tests, benchmarks).
 * - `mapCells(template)`, `placeInCell(cell, size, occupied)`, `placeCardInCell(cell, size, scale, cards)`: the cells
 *   a card can be put in by keyboard, a free spot inside one, and room made in a full one (the board as text).
 * - `instrumentSlot(template, occupied, frameHeight, maxHeight?)`: where "Aggiungi strumento" puts a new node (a slot
 *   of the architecture's layout, clear of the others; a new row below when the map is full, MP15).
 */
export * from './templateSchema.ts'
export { mapTemplates, getTemplate } from './templates.ts'
export { instantiateTemplate, MAP_META_KEY, MAP_PART_META_KEY, type InstantiateOptions, type MapFrameMeta, type ShapeRecordJson } from './instantiate.ts'
export {
  BoardIndex,
  cardMeaning,
  isCard,
  isMapStructure,
  mapFrameMeta,
  meaningOverride,
  type CardMeaning,
  type MapFrame,
  type MeaningOverride,
} from './meaning.ts'
export { meaningAtPoint, type PositionMeaning } from './layout.ts'
export { optionLabel, type MeaningField } from './labels.ts'
export { extractMaps, type ExtractedMaps, type MapData, type MapCard, type Actor, type ArchitectureEdge, type ArchitectureNode } from './extract.ts'
export { semanticDiff, semanticDiffOfMaps, type SemanticChange, type SemanticChangeKind } from './semanticDiff.ts'
export { noteRecord, arrowRecords, placeRect, slotPosition, cardScaleFor, MAX_CARD_SCALE, type CardPlace } from './cards.ts'
export { mapCells, placeInCell, placeCardInCell, type MapCell, type PlacedCard, type CellPlacement } from './cellPlacement.ts'
export { instrumentLayout, instrumentSlot, type InstrumentLayout, type InstrumentSlot } from './instrumentPlacement.ts'
