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

  'refused.noMeeting.title': 'This meeting does not exist',
  'refused.noMeeting.body': 'There is no meeting at this link’s address on this server. Perhaps the link was copied only in part, or the meeting was deleted.',
  'refused.noKey.title': 'The link has no key',
  'refused.noKey.body': 'The link is incomplete: the part at the end that starts with “#k=”, the key that lets you in, is missing. This happens when a link is copied only in part.',
  'refused.noKey.action': 'Copy the whole link again, or ask the facilitator for a new link.',
  'refused.badKey.title': 'This link no longer works',
  'refused.badKey.body': 'The key in this link is wrong, or the facilitator replaced it with a new one.',
  'refused.askFacilitator': 'Ask the facilitator for a new link.',
  'refused.unsent.one': 'The change made on this device that was not sent yet stays saved here.',
  'refused.unsent.other': 'The {count} changes made on this device that were not sent yet stay saved here.',
  'refused.badAddress.action': 'Check that you copied the whole link, or ask the facilitator for a new link.',

  'presence.none': 'No participants',
  'presence.facilitators.one': '1 facilitating',
  'presence.facilitators.other': '{count} facilitating',
  'presence.withFacilitators': '{participants}, {facilitators}',
  'presence.facilitatorName': '{name} (facilitator)',

  'lead.showCursors': 'Show participants’ cursors and selections on the projector',
  'lock.blocked': 'This item is locked by the facilitator: it cannot be moved or changed.',
  'details.edit': 'Edit the meeting details',
  'details.heading': 'Meeting details',
  'details.titleCount': '{count} of {max} characters',
  'details.save': 'Save',
  'details.saving': 'Saving…',
  'details.cancel': 'Cancel',
}
