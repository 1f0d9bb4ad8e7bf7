/** Issue 19 (a workshop on real devices): the phone's compact status bar. Italian. */
export const devicesIt = {
  'statusMenu.open': 'Menu',
  'statusMenu.label': 'Menu: persone, nome e lingua',
} as const
