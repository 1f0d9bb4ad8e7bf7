import { atom, type Atom } from 'tldraw'
import { z } from 'zod'
import { DEFAULT_LOCALE, type Locale } from '../i18n/translate.ts'

/**
 * What this browser remembers about its person (localStorage, never the board document):
 * a stable user id, the display name, a stable colour, the language, and tldraw's own preference toggles.
 */
export interface LocalPreferences {
  userId: string
  /**
   * This device's voter id (dot-voting, issue 20): random, never published in presence (unlike `userId`, which
   * tldraw shares with every peer), so only this browser can read or change its ballot. A device, not a person.
   */
  deviceId: string
  name: string | null
  color: string
  locale: Locale
  /** tldraw's UI language when chosen from tldraw's own menu (may be a language we have no catalog for). */
  tldrawLocale: string | null
  /** tldraw's other user preferences (snap mode, dark mode, …), kept as tldraw gives them. */
  tldraw: Record<string, unknown>
}

export const PREFERENCES_STORAGE_KEY = 'tavolo.preferences.v1'
export const MAX_NAME_LENGTH = 40

/**
 * Colours distinct from each other, dark enough that the white name on a collaborator's cursor label (tldraw's
 * `.tl-nametag`) reads at 4.5:1 or more (WCAG 1.4.3) and the cursor and selection outlines stand out at 3:1 or more
 * on the board (1.4.11): tests/unit/presenceContrast.test.ts. Picked from the user id, so stable.
 */
export const PRESENCE_COLORS = [
  '#d6336c', '#1971c2', '#237032', '#c2410c', '#7048e8', '#0b7285', '#a61e4d', '#4a7a0b', '#ae3ec9', '#9c5700',
] as const

/** Whether `color` is one of the palette's (a colour saved before the palette changed, or sent by a peer, may not be). */
export function isPresenceColor(color: string | undefined): color is (typeof PRESENCE_COLORS)[number] {
  return color !== undefined && (PRESENCE_COLORS as readonly string[]).includes(color)
}

export function colorForUserId(userId: string): string {
  let hash = 0
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0
  return PRESENCE_COLORS[hash % PRESENCE_COLORS.length] ?? PRESENCE_COLORS[0]
}

const storedSchema = z.object({
  userId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/).optional(),
  name: z.string().max(MAX_NAME_LENGTH).nullable().catch(null),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/).optional(),
  locale: z.enum(['it', 'en']).catch(DEFAULT_LOCALE),
  tldrawLocale: z.string().max(16).nullable().catch(null),
  tldraw: z.record(z.string(), z.unknown()).catch({}),
})

function randomId(): string {
  return crypto.randomUUID().replace(/-/g, '')
}

/** Cleans a typed name: trims, collapses spaces, caps the length. Empty means "no name". */
export function normalizeName(raw: string): string | null {
  const name = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH)
  return name.length > 0 ? name : null
}

/** Reads the stored preferences (validated; anything broken is replaced by fresh defaults). */
export function readPreferences(storage: Storage | null): LocalPreferences {
  let stored: unknown
  try {
    const text = storage?.getItem(PREFERENCES_STORAGE_KEY)
    stored = text ? JSON.parse(text) : null
  } catch {
    stored = null
  }
  const parsed = storedSchema.safeParse(stored)
  if (parsed.success) {
    const p = parsed.data
    // preferences saved before device ids existed get one now (saved with them when the store starts)
    // a colour off the palette (saved before its colours were darkened for contrast) is replaced by the palette's
    return { ...p, color: isPresenceColor(p.color) ? p.color : colorForUserId(p.userId), deviceId: p.deviceId ?? randomId() }
  }
  const userId = randomId()
  return { userId, deviceId: randomId(), name: null, color: colorForUserId(userId), locale: DEFAULT_LOCALE, tldrawLocale: null, tldraw: {} }
}

export interface PreferencesStore {
  readonly $preferences: Atom<LocalPreferences>
  update(change: Partial<LocalPreferences>): void
}

/** A reactive preferences holder that writes through to storage. One per app, created by the app root. */
export function createPreferencesStore(storage: Storage | null): PreferencesStore {
  const $preferences = atom<LocalPreferences>('tavolo preferences', readPreferences(storage))
  const save = (p: LocalPreferences) => {
    try {
      storage?.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify(p))
    } catch {
      // Storage full or disabled (private mode): the preferences still work for this visit.
    }
  }
  save($preferences.get())
  return {
    $preferences,
    update(change) {
      const next = { ...$preferences.get(), ...change }
      $preferences.set(next)
      save(next)
    },
  }
}

/** Safe access to localStorage (it throws in some privacy modes). */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}
