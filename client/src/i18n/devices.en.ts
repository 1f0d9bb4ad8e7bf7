import type { devicesIt } from './devices.it.ts'

/** Issue 19 (a workshop on real devices): the phone's compact status bar; a participant's «Aggiungi carta». English. */
export const devicesEn: Record<keyof typeof devicesIt, string> = {
  'statusMenu.open': 'Menu',
  'statusMenu.label': 'Menu: people, name and language',
  'addCard.label': 'Add card',
  'addCard.private': 'Write a private card',
}
