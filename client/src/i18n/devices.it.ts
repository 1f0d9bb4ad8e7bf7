/** Issue 19 (a workshop on real devices): the phone's compact status bar; a participant's «Aggiungi carta». Italian. */
export const devicesIt = {
  'statusMenu.open': 'Menu',
  'statusMenu.label': 'Menu: persone, nome e lingua',
  'addCard.label': 'Aggiungi carta',
  'addCard.private': 'Scrivi una carta privata',
} as const
