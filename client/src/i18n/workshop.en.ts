import type { workshopIt } from './workshop.it.ts'

/** Strings of a real workshop (issue 11), English. Typed against the Italian file: a missing key is a compile error. */
export const workshopEn: Record<keyof typeof workshopIt, string> = {
  'share.address.lan': 'You opened Tavolo at “{page}”, which on another device would mean that device itself. So the links and the QR code use this computer’s network address: {address}.',
  'share.address.pick': 'Network address for other devices',
  'share.address.pickHint': 'This computer has several addresses. If phones cannot open the link, try another one.',
  'share.address.thisComputerOnly': 'Warning: these links only work on this computer. The server found no network address that phones and laptops can reach.',
  'share.address.thisComputerOnlyAction': 'Connect this computer to the room’s network (Wi-Fi) and restart Tavolo: the terminal will show the address for participants. Or ask whoever runs Tavolo to set PUBLIC_URL.',
  'share.facilitator': 'Your link, for a co-facilitator',
  'share.facilitatorWarning': 'Do not project it or give it to participants: whoever opens it can manage the meeting and change the links.',
  'share.facilitatorShow': 'Show the facilitator link',
}
