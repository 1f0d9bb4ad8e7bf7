import type { opsIt } from './ops.it.ts'

/** Strings of erasing meetings and retention (operations), English. */
export const opsEn: Record<keyof typeof opsIt, string> = {
  'erase.menuItem': 'Delete the meeting…',
  'erase.listButton': 'Delete…',
  'erase.title': 'Delete “{title}”?',
  'erase.what': 'This deletes for good the board with everything on it (images too) and every link of the meeting, which stop working.',
  'erase.others': 'Whoever has the board open right now will see it close, with a notice.',
  'erase.noUndo': 'This cannot be undone: if a copy is needed, ask whoever runs the server for a backup first.',
  'erase.confirmCheck': 'I understand: I want to delete “{title}” for good.',
  'erase.confirm': 'Delete for good',
  'erase.cancel': 'Cancel',
  'erase.busy': 'Deleting…',
  'erase.failed': 'The meeting could not be deleted ({reason}). Try again.',
  'erase.done': '“{title}” has been deleted.',
  'retention.deletesOn': 'Automatic deletion',
  'retention.deletesOnValue': 'from {date}, if nobody uses it',
  'connection.deleted': 'Meeting deleted',
  'closed.4410.body': 'This meeting has been deleted: the board and everything on it are gone.',
  'closed.4410.action': 'There is nothing else to do. If you think this is a mistake, talk to the meeting organiser.',
  'closed.4410.localCopy': 'The copy saved on this device has been deleted too.',
}
