import type { MessageKey } from './it.ts'

/** English strings. Typed against the Italian catalog: a missing or extra key is a compile error. */
export const en: Record<MessageKey, string> = {
  'app.name': 'Tavolo',
  'app.loading': 'Loading…',

  'home.title': 'Tavolo: the shared whiteboard',
  'home.intro': 'Open a board by typing its name, or create a new one.',
  'home.boardIdLabel': 'Board name',
  'home.boardIdHint': 'Letters without accents, digits, hyphen (-) and underscore (_). At most 64 characters.',
  'home.boardIdInvalid': 'This name will not work: use only letters without accents, digits, - and _.',
  'home.open': 'Open the board',
  'home.new': 'Create a new board',

  'notFound.title': 'Page not found',
  'notFound.body': 'The address you opened does not match any Tavolo page. The link may be incomplete.',
  'badBoard.title': 'Invalid board address',
  'badBoard.body': 'The board name in this address is not valid. Check that you copied the whole link, or ask the meeting organiser for a new link.',
  'nav.backHome': 'Back to the start page',

  'language.label': 'Language',
  'language.it': 'Italiano',
  'language.en': 'English',

  'config.error.title': 'The server does not answer',
  'config.error.body': 'Could not read the configuration from the server. Check the connection and try again.',
  'config.retry': 'Try again',

  'license.title': 'The tldraw licence is missing',
  'license.body': 'This Tavolo installation is published on a real web address, but the server has no licence key for tldraw, the component that draws the board. Without a key the board cannot work here.',
  'license.operator': 'For the server operator: set the TLDRAW_LICENSE_KEY environment variable to the licence key and restart the server. The README explains it under “tldraw license”.',
  'license.participant': 'If you are taking part in a meeting, tell the organiser.',

  'board.firstPage': 'Page 1',
  'board.opening': 'Opening the board…',
  'board.waitingServer': 'Connecting to the server…',
  'board.noLocalCopy.title': 'You are offline',
  'board.noLocalCopy.body': 'We cannot reach the server and this device has no copy of this board yet. As soon as the connection is back, the board opens by itself.',
  'board.full.title': 'The board is full',
  'board.full.body': 'This page has reached the maximum of {max} items. To add more, delete something or use another page.',
  'board.full.dismiss': 'Got it',
  'board.invalidRecords': 'Some items received were not valid and are not shown ({count}).',

  'connection.connecting': 'Connecting…',
  'connection.connected': 'Connected',
  'connection.reconnecting': 'Connection lost, retrying…',
  'connection.offline': 'Offline',
  'connection.unsent.one': '1 item changed on this device: it will be sent when the connection is back',
  'connection.unsent.other': '{count} items changed on this device: they will be sent when the connection is back',
  'connection.refused': 'Access refused',

  'closed.title': 'You can no longer open this board',
  'closed.4401.body': 'The link you used is not valid or has been replaced by a new one.',
  'closed.4401.action': 'Ask the meeting organiser for the current link and open it again.',
  'closed.4403.body': 'Your link lets you watch the board but not change it.',
  'closed.4403.action': 'If you need to work on the board, ask the meeting organiser for a participant link.',
  'closed.4404.body': 'This board does not exist, or it has been deleted.',
  'closed.4404.action': 'Check that you opened the right link, or ask the meeting organiser for it again.',
  'closed.other.body': 'The server closed the connection (code {code}).',
  'closed.other.action': 'Reload the page. If the problem persists, tell the meeting organiser.',
  'closed.localCopy': 'Changes made on this device stay saved here.',

  'participants.one': '1 participant',
  'participants.other': '{count} participants',

  'name.dialogTitle': 'What is your name?',
  'name.dialogIntro': 'Your name will appear next to your pointer, so the others know who is writing.',
  'name.label': 'Your name',
  'name.placeholder': 'For example: Maria R.',
  'name.save': 'Enter',
  'name.change': 'Change name',
  'name.you': 'You: {name}',
  'name.required': 'Type a name (a first name is enough).',
}
