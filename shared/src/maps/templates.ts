/**
 * The map templates Tavolo offers. Each file is validated the first time it is asked for (a broken file throws a
 * message naming the field): a participant's phone opening a board without maps validates none, one with maps only
 * those it shows (issue 13 part 3), while the server validates them all when it starts (`mapTemplates()` in
 * server/src/main.ts) and the template tests do too. To add a template: drop a JSON file in ./templates/ and list it
 * here; nothing else changes (see the README, "Maps and templates").
 */
import actors from './templates/actors.json' with { type: 'json' }
import architecture from './templates/architecture.json' with { type: 'json' }
import issues from './templates/issues.json' with { type: 'json' }
import programme from './templates/programme.json' with { type: 'json' }
import stakeholders from './templates/stakeholders.json' with { type: 'json' }
import { parseTemplate, type MapTemplate } from './templateSchema.ts'

/** In the order the facilitator's menu lists them. */
const FILES: readonly (readonly [source: string, data: unknown])[] = [
  ['issues.json', issues],
  ['actors.json', actors],
  ['architecture.json', architecture],
  ['programme.json', programme],
  ['stakeholders.json', stakeholders],
]

const parsed = new Map<string, MapTemplate>()

function load(source: string, data: unknown): MapTemplate {
  let template = parsed.get(source)
  if (template === undefined) {
    template = parseTemplate(source, data)
    parsed.set(source, template)
  }
  return template
}

let all: readonly MapTemplate[] | null = null

/** Every template, validated (all of them, on the first call). */
export function mapTemplates(): readonly MapTemplate[] {
  if (all === null) {
    const templates = FILES.map(([source, data]) => load(source, data))
    if (new Set(templates.map((t) => t.id)).size !== templates.length) throw new Error('two map templates share an id')
    all = templates
  }
  return all
}

/** The template with this id, or null. Validates only the file that declares that id. */
export function getTemplate(id: string): MapTemplate | null {
  if (all !== null) return all.find((t) => t.id === id) ?? null
  const file = FILES.find(([, data]) => (data as { id?: unknown }).id === id)
  return file === undefined ? null : load(file[0], file[1])
}
