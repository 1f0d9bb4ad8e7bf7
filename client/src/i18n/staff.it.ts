/** Strings of the staff pages (staff link, remembered token, sign out, pages of the list). Italian. */
export const staffIt = {
  'staff.where':
    'Il codice è nel «link del personale» che Tavolo scrive nel terminale (o nel registro del servizio) quando parte: apri quel link su questo dispositivo e il codice viene ricordato. Chi gestisce il server lo trova anche nel file staff-token della cartella dei dati.',
  'staff.remembered': 'Questo dispositivo ricorda il codice del personale.',
  'staff.signOut': 'Esci (dimentica il codice su questo dispositivo)',
  'staff.signedOut': 'Sei uscito: il codice del personale non è più su questo dispositivo.',
  'staff.throttled': 'Troppi tentativi con un codice sbagliato. Aspetta {seconds} secondi e riprova.',
  'home.needsStaff': 'Per creare un incontro serve il codice del personale.',
  'list.more': 'Mostra altri incontri',
  'list.loadingMore': 'Carico altri incontri…',
} as const
