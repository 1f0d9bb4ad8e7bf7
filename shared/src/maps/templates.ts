/**
 * The map templates Tavolo offers, validated once when this module loads (a broken file stops the server and the
 * client build's tests with a message naming the field). To add a template: drop a JSON file in ./templates/ and
 * list it here; nothing else changes (see the README, "Maps and templates").
 */
import actors from './templates/actors.json' with { type: 'json' }
import architecture from './templates/architecture.json' with { type: 'json' }
import issues from './templates/issues.json' with { type: 'json' }
import programme from './templates/programme.json' with { type: 'json' }
import stakeholders from './templates/stakeholders.json' with { type: 'json' }
import { parseTemplate, type MapTemplate } from './templateSchema.ts'

export const MAP_TEMPLATES: readonly MapTemplate[] = [
  parseTemplate('issues.json', issues),
  parseTemplate('actors.json', actors),
  parseTemplate('architecture.json', architecture),
  parseTemplate('programme.json', programme),
  parseTemplate('stakeholders.json', stakeholders),
]

const byId = new Map(MAP_TEMPLATES.map((t) => [t.id, t]))
if (byId.size !== MAP_TEMPLATES.length) throw new Error('two map templates share an id')

/** The template with this id, or null. */
export function getTemplate(id: string): MapTemplate | null {
  return byId.get(id) ?? null
}
