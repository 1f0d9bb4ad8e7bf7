/**
 * Tavolo's own strings, Italian (the default language). Plain words for people who are not digital natives.
 * Placeholders are written {name}. en.ts must have exactly the same keys (the type system enforces it).
 */
export const it = {
  'app.name': 'Tavolo',
  'app.loading': 'Caricamento…',

  'home.title': 'Tavolo: la lavagna condivisa',
  'home.intro': 'Apri una lavagna scrivendo il suo nome, oppure creane una nuova.',
  'home.boardIdLabel': 'Nome della lavagna',
  'home.boardIdHint': 'Lettere senza accenti, numeri, trattino (-) e trattino basso (_). Massimo 64 caratteri.',
  'home.boardIdInvalid': 'Questo nome non va bene: usa solo lettere senza accenti, numeri, - e _.',
  'home.open': 'Apri la lavagna',
  'home.new': 'Crea una nuova lavagna',

  'notFound.title': 'Pagina non trovata',
  'notFound.body': 'L’indirizzo che hai aperto non corrisponde a nessuna pagina di Tavolo. Forse il link è incompleto.',
  'badBoard.title': 'Indirizzo della lavagna non valido',
  'badBoard.body': 'Il nome della lavagna nell’indirizzo non è valido. Controlla di aver copiato tutto il link, oppure chiedi un nuovo link a chi organizza l’incontro.',
  'nav.backHome': 'Torna alla pagina iniziale',

  'language.label': 'Lingua',
  'language.it': 'Italiano',
  'language.en': 'English',

  'config.error.title': 'Il server non risponde',
  'config.error.body': 'Non è stato possibile leggere la configurazione dal server. Controlla la connessione e riprova.',
  'config.retry': 'Riprova',

  'license.title': 'Manca la licenza di tldraw',
  'license.body': 'Questa installazione di Tavolo è pubblicata su un indirizzo web reale, ma il server non ha una chiave di licenza di tldraw, il componente che disegna la lavagna. Senza chiave la lavagna non può funzionare qui.',
  'license.operator': 'Per chi gestisce il server: imposta la variabile d’ambiente TLDRAW_LICENSE_KEY con la chiave della licenza e riavvia il server. Le istruzioni sono nel README, alla sezione «tldraw license».',
  'license.participant': 'Se stai partecipando a un incontro, avvisa chi lo organizza.',

  'board.firstPage': 'Pagina 1',
  'board.opening': 'Apertura della lavagna…',
  'board.waitingServer': 'Collegamento al server in corso…',
  'board.noLocalCopy.title': 'Sei offline',
  'board.noLocalCopy.body': 'Non riusciamo a raggiungere il server e su questo dispositivo non c’è ancora una copia di questa lavagna. Appena la connessione torna, la lavagna si apre da sola.',
  'board.full.title': 'La lavagna è piena',
  'board.full.body': 'Questa pagina ha raggiunto il massimo di {max} elementi. Per aggiungerne altri, cancella qualcosa oppure usa un’altra pagina.',
  'board.full.dismiss': 'Ho capito',
  'board.invalidRecords': 'Alcuni elementi ricevuti non erano validi e non sono stati mostrati ({count}).',

  'connection.connecting': 'Collegamento…',
  'connection.connected': 'Connesso',
  'connection.reconnecting': 'Connessione persa, riprovo…',
  'connection.offline': 'Offline',
  'connection.unsent.one': '1 elemento cambiato su questo dispositivo: verrà inviato al ritorno della connessione',
  'connection.unsent.other': '{count} elementi cambiati su questo dispositivo: verranno inviati al ritorno della connessione',
  'connection.refused': 'Accesso negato',

  'closed.title': 'Non puoi più accedere a questa lavagna',
  'closed.4401.body': 'Il link che hai usato non è valido o è stato sostituito da uno nuovo.',
  'closed.4401.action': 'Chiedi a chi organizza l’incontro il link aggiornato e aprilo di nuovo.',
  'closed.4403.body': 'Il tuo link permette di guardare la lavagna ma non di modificarla.',
  'closed.4403.action': 'Se devi lavorare sulla lavagna, chiedi a chi organizza l’incontro un link da partecipante.',
  'closed.4404.body': 'Questa lavagna non esiste, oppure è stata eliminata.',
  'closed.4404.action': 'Controlla di aver aperto il link giusto, oppure chiedilo di nuovo a chi organizza l’incontro.',
  'closed.other.body': 'Il server ha chiuso il collegamento (codice {code}).',
  'closed.other.action': 'Ricarica la pagina. Se il problema continua, avvisa chi organizza l’incontro.',
  'closed.localCopy': 'Le modifiche fatte su questo dispositivo restano salvate qui.',

  'participants.one': '1 partecipante',
  'participants.other': '{count} partecipanti',

  'name.dialogTitle': 'Come ti chiami?',
  'name.dialogIntro': 'Il tuo nome comparirà accanto al tuo puntatore, così gli altri sanno chi sta scrivendo.',
  'name.label': 'Il tuo nome',
  'name.placeholder': 'Per esempio: Maria R.',
  'name.save': 'Entra',
  'name.change': 'Cambia nome',
  'name.you': 'Tu: {name}',
  'name.required': 'Scrivi un nome (anche solo quello di battesimo).',
} as const

export type MessageKey = keyof typeof it
