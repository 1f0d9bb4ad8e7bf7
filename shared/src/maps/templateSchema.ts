/**
 * The format of a map template (a data file in shared/src/maps/templates/), validated when it is loaded.
 *
 * A template says what the map means (its facets, categories and levels, instruments, phases and rows, with labels
 * in Italian and English) and where each meaning sits, in the frame's own coordinates (origin at the frame's top
 * left, y downwards, the unit is tldraw's page unit at zoom 1). The same geometry draws the map (instantiate.ts) and
 * reads a card's meaning back from its position (meaning.ts), so they can never disagree.
 *
 * Four kinds, one per map of the seed meeting; a new process with other categories is a new file of an existing
 * kind, not new code:
 * - `issues`: a central question and facets, each a rectangle;
 * - `actors`: categories × engagement levels, drawn as concentric rings cut into sectors or as a grid;
 * - `architecture`: typed instrument nodes (the template places the default ones) joined by labelled arrows;
 * - `programme`: phases (columns) × rows (objectives, participants, ...), a grid.
 */
import { z } from 'zod'

export const LOCALES = ['it', 'en'] as const
export type Locale = (typeof LOCALES)[number]

/** A text in every language Tavolo speaks. */
export const LocalizedTextSchema = z.strictObject({ it: z.string().min(1), en: z.string().min(1) })
export type LocalizedText = z.infer<typeof LocalizedTextSchema>

/** Ids of facets, categories, ...: stable, stored in card overrides and compared across versions. */
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a lowercase slug (a-z, 0-9, -)')

const finite = z.number().finite()
const positive = z.number().finite().positive()

export const RectSchema = z.strictObject({ x: finite, y: finite, w: positive, h: positive })
export type Rect = z.infer<typeof RectSchema>

export const PointSchema = z.strictObject({ x: finite, y: finite })
export type Point = z.infer<typeof PointSchema>

/** One value of a dimension of the map (a facet, a category, a level, a phase, a row, a node type). */
export const OptionSchema = z.strictObject({
  id: slug,
  label: LocalizedTextSchema,
  description: LocalizedTextSchema.optional(),
})
export type TemplateOption = z.infer<typeof OptionSchema>

/**
 * Columns × rows. The header column (row labels) is `headerWidth` wide, the header row (column labels)
 * `headerHeight` high; cells follow, all the same size. Its top-left corner is (x, y).
 */
export const GridLayoutSchema = z.strictObject({
  type: z.literal('grid'),
  x: finite,
  y: finite,
  headerWidth: positive,
  headerHeight: positive,
  cellWidth: positive,
  cellHeight: positive,
})
export type GridLayout = z.infer<typeof GridLayoutSchema>

/**
 * Concentric rings around `center`: ring i (the i-th level, innermost first) lies between `radii[i]` and
 * `radii[i + 1]`, so there is one radius more than levels (`radii[0]` is the central hub, which has no level).
 * The rings are cut into equal sectors, one per category, clockwise on screen from `startAngle` (degrees;
 * 0 = pointing right, -90 = pointing up).
 */
export const RingsLayoutSchema = z.strictObject({
  type: z.literal('rings'),
  center: PointSchema,
  radii: z.array(positive).min(2),
  startAngle: finite,
})
export type RingsLayout = z.infer<typeof RingsLayoutSchema>

const base = {
  id: slug,
  /** Bumped when the geometry or the ids change, so old boards can still be read by the version they were made with. */
  version: z.number().int().positive(),
  title: LocalizedTextSchema,
  size: z.strictObject({ w: positive, h: positive }),
}

export const IssuesTemplateSchema = z.strictObject({
  ...base,
  kind: z.literal('issues'),
  question: LocalizedTextSchema,
  questionRect: RectSchema,
  facets: z.array(OptionSchema.extend({ rect: RectSchema })).min(1),
})

/**
 * An attribute practitioners track per actor over a process (issue 22): its values in order (lowest first), stored in
 * the card's `meta.tavoloActor` (shared/src/process/actorAttributes.ts). Data, not code: a template may declare none.
 */
export const ActorAttributeSchema = OptionSchema.extend({ options: z.array(OptionSchema).min(1) })
export type ActorAttribute = z.infer<typeof ActorAttributeSchema>

export const ActorsTemplateSchema = z.strictObject({
  ...base,
  kind: z.literal('actors'),
  categories: z.array(OptionSchema).min(1),
  /** Innermost (or top) first. */
  levels: z.array(OptionSchema).min(1),
  layout: z.discriminatedUnion('type', [RingsLayoutSchema, GridLayoutSchema]),
  attributes: z.array(ActorAttributeSchema).optional(),
  /**
   * The two attributes whose difference is an engagement gap (PMBOK's engagement matrix: current vs desired level);
   * both must list the same values in the same order.
   */
  engagementGap: z.strictObject({ now: slug, wanted: slug }).optional(),
})

export const ArchitectureTemplateSchema = z.strictObject({
  ...base,
  kind: z.literal('architecture'),
  nodeTypes: z.array(OptionSchema).min(1),
  /** The default nodes, placed when the map is inserted; participants add more. */
  instruments: z.array(OptionSchema.extend({ type: slug, rect: RectSchema })),
})

export const ProgrammeTemplateSchema = z.strictObject({
  ...base,
  kind: z.literal('programme'),
  phases: z.array(OptionSchema).min(1),
  /** `item` names a new entry of the row in change lists ("Nuova domanda guida"), with the right gender. */
  rows: z.array(OptionSchema.extend({ item: LocalizedTextSchema.optional() })).min(1),
  layout: GridLayoutSchema,
})

function checkTemplate(t: z.infer<typeof MapTemplateShape>, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
  const unique = (name: string, options: { id: string }[]) => {
    const seen = new Set<string>()
    options.forEach((o, i) => {
      if (seen.has(o.id)) issue([name, i, 'id'], `duplicate id "${o.id}"`)
      seen.add(o.id)
    })
  }
  const inside = (path: (string | number)[], r: Rect) => {
    if (r.x < 0 || r.y < 0 || r.x + r.w > t.size.w || r.y + r.h > t.size.h) issue(path, 'must lie inside the frame (size)')
  }
  const gridInside = (g: GridLayout, columns: number, rows: number) => {
    inside(['layout'], { x: g.x, y: g.y, w: g.headerWidth + columns * g.cellWidth, h: g.headerHeight + rows * g.cellHeight })
  }
  switch (t.kind) {
    case 'issues':
      unique('facets', t.facets)
      inside(['questionRect'], t.questionRect)
      t.facets.forEach((f, i) => inside(['facets', i, 'rect'], f.rect))
      break
    case 'actors':
      unique('categories', t.categories)
      unique('levels', t.levels)
      if (t.layout.type === 'rings') {
        const { radii, center } = t.layout
        if (radii.length !== t.levels.length + 1) issue(['layout', 'radii'], `needs ${t.levels.length + 1} radii (one more than levels)`)
        if (radii.some((r, i) => i > 0 && r <= (radii[i - 1] ?? 0))) issue(['layout', 'radii'], 'must grow from the inside out')
        const outer = radii[radii.length - 1] ?? 0
        inside(['layout'], { x: center.x - outer, y: center.y - outer, w: 2 * outer, h: 2 * outer })
      } else {
        gridInside(t.layout, t.categories.length, t.levels.length)
      }
      unique('attributes', t.attributes ?? [])
      t.attributes?.forEach((a, i) => unique(`attributes.${i}.options`, a.options))
      if (t.engagementGap !== undefined) {
        const find = (id: string) => t.attributes?.find((a) => a.id === id)
        const now = find(t.engagementGap.now)
        const wanted = find(t.engagementGap.wanted)
        if (now === undefined) issue(['engagementGap', 'now'], `unknown attribute "${t.engagementGap.now}"`)
        if (wanted === undefined) issue(['engagementGap', 'wanted'], `unknown attribute "${t.engagementGap.wanted}"`)
        if (now !== undefined && wanted !== undefined && now.options.map((o) => o.id).join() !== wanted.options.map((o) => o.id).join()) {
          issue(['engagementGap'], 'both attributes must list the same values in the same order')
        }
      }
      break
    case 'architecture': {
      unique('nodeTypes', t.nodeTypes)
      unique('instruments', t.instruments)
      const types = new Set(t.nodeTypes.map((n) => n.id))
      t.instruments.forEach((n, i) => {
        if (!types.has(n.type)) issue(['instruments', i, 'type'], `unknown node type "${n.type}"`)
        inside(['instruments', i, 'rect'], n.rect)
      })
      break
    }
    case 'programme':
      unique('phases', t.phases)
      unique('rows', t.rows)
      gridInside(t.layout, t.phases.length, t.rows.length)
      break
  }
}

const MapTemplateShape = z.discriminatedUnion('kind', [
  IssuesTemplateSchema,
  ActorsTemplateSchema,
  ArchitectureTemplateSchema,
  ProgrammeTemplateSchema,
])

/** Any map template, with its cross-field rules (unique ids, geometry inside the frame, one radius per ring). */
export const MapTemplateSchema = MapTemplateShape.superRefine(checkTemplate)

export type MapTemplate = z.infer<typeof MapTemplateSchema>
export type IssuesTemplate = z.infer<typeof IssuesTemplateSchema>
export type ActorsTemplate = z.infer<typeof ActorsTemplateSchema>
export type ArchitectureTemplate = z.infer<typeof ArchitectureTemplateSchema>
export type ProgrammeTemplate = z.infer<typeof ProgrammeTemplateSchema>
export type MapKind = MapTemplate['kind']

/** Validates a template file's content; throws an Error naming the file and every wrong field. */
export function parseTemplate(source: string, data: unknown): MapTemplate {
  const parsed = MapTemplateSchema.safeParse(data)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
    throw new Error(`Invalid map template ${source}:\n${lines.join('\n')}`)
  }
  return parsed.data
}
