import type { staffIt } from './staff.it.ts'

/** Strings of the staff pages, English. */
export const staffEn: Record<keyof typeof staffIt, string> = {
  'staff.where':
    'The code is in the “staff link” Tavolo writes in the terminal (or the service log) when it starts: open that link on this device and the code is remembered. Whoever runs the server also finds it in the staff-token file of the data directory.',
  'staff.remembered': 'This device remembers the staff code.',
  'staff.signOut': 'Sign out (forget the code on this device)',
  'staff.signedOut': 'You are signed out: the staff code is no longer on this device.',
  'staff.throttled': 'Too many tries with a wrong code. Wait {seconds} seconds and try again.',
  'home.needsStaff': 'Creating a meeting needs the staff code.',
  'list.more': 'Show more meetings',
  'list.loadingMore': 'Loading more meetings…',
}
