import { computed, createUserId, type Signal, type TLUser, type TLUserPreferences } from 'tldraw'
import { toLocale } from '../i18n/translate.ts'
import { isPresenceColor, normalizeName, type PreferencesStore } from './localPreferences.ts'

/**
 * The bridge between our local preferences and tldraw's notion of the user. Our preferences are the source of
 * truth; when the person changes name, colour or language from tldraw's own menus, they are written back here.
 */
export function tldrawUserPreferences(store: PreferencesStore, deviceUserId?: string): Signal<TLUserPreferences> {
  return computed('tldraw user preferences', () => {
    const p = store.$preferences.get()
    return {
      ...(p.tldraw as Partial<TLUserPreferences>),
      id: deviceUserId ?? p.userId,
      name: p.name,
      color: p.color,
      locale: p.tldrawLocale ?? p.locale,
    }
  })
}

export function setTldrawUserPreferences(store: PreferencesStore, next: TLUserPreferences): void {
  const p = store.$preferences.get()
  const { id: _id, name, color, locale, ...rest } = next
  const localeChanged = (locale ?? null) !== (p.tldrawLocale ?? p.locale)
  store.update({
    name: name != null ? (normalizeName(name) ?? p.name) : p.name,
    // only the palette's colours: each passes the contrast of cursor labels (localPreferences.ts)
    color: color != null && isPresenceColor(color) ? color : p.color,
    ...(localeChanged && locale ? { locale: toLocale(locale), tldrawLocale: locale } : {}),
    tldraw: rest as Record<string, unknown>,
  })
}

/**
 * The TLUser record used for presence (userId must equal editor.user.getRecordId(): `user:<userId>`).
 * `deviceUserId` replaces the person's id for a page that is a device, not a person (the projector): it must not
 * share the id of the facilitator who may open it in the same browser, or tldraw would not see them as two users.
 */
export function tldrawUser(store: PreferencesStore, anonymousName: () => string, deviceUserId?: string): Signal<TLUser> {
  return computed('tldraw user', () => {
    const p = store.$preferences.get()
    return {
      id: createUserId(deviceUserId ?? p.userId),
      typeName: 'user',
      name: p.name ?? anonymousName(),
      color: p.color,
      imageUrl: '',
      meta: {},
    }
  })
}
