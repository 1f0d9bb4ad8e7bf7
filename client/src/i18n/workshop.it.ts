/** Strings of a real workshop (issue 11): reaching people's devices, error pages, the small things. Italian. */
export const workshopIt = {
  'share.address.lan': 'Hai aperto Tavolo con l’indirizzo «{page}», che su un altro dispositivo indicherebbe il dispositivo stesso. Per questo i link e il codice QR usano l’indirizzo di rete di questo computer: {address}.',
  'share.address.pick': 'Indirizzo di rete per gli altri dispositivi',
  'share.address.pickHint': 'Questo computer ha più indirizzi. Se i telefoni non riescono ad aprire il link, prova un altro indirizzo.',
  'share.address.thisComputerOnly': 'Attenzione: questi link funzionano solo su questo computer. Il server non ha trovato un indirizzo di rete che telefoni e portatili possano raggiungere.',
  'share.address.thisComputerOnlyAction': 'Collega questo computer alla rete (Wi-Fi) della sala e riavvia Tavolo: il terminale mostrerà l’indirizzo per chi partecipa. Oppure chiedi a chi gestisce Tavolo di impostare PUBLIC_URL.',
  'share.facilitator': 'Il tuo link, per chi conduce con te',
  'share.facilitatorWarning': 'Non proiettarlo e non darlo ai partecipanti: chi lo apre può gestire l’incontro e cambiare i link.',
  'share.facilitatorShow': 'Mostra il link di chi conduce',

  'refused.noMeeting.title': 'Questa riunione non esiste',
  'refused.noMeeting.body': 'Su questo server non c’è nessuna riunione con l’indirizzo di questo link. Forse il link è stato copiato solo in parte, oppure la riunione è stata eliminata.',
  'refused.noKey.title': 'Nel link manca la chiave',
  'refused.noKey.body': 'Il link è incompleto: alla fine manca la parte che comincia con «#k=», la chiave che fa entrare nella riunione. Succede quando un link viene copiato solo in parte.',
  'refused.noKey.action': 'Copia di nuovo il link per intero, oppure chiedi un nuovo link a chi conduce.',
  'refused.badKey.title': 'Questo link non funziona più',
  'refused.badKey.body': 'La chiave di questo link non è giusta, oppure chi conduce l’ha sostituita con una nuova.',
  'refused.askFacilitator': 'Chiedi un nuovo link a chi conduce.',
  'refused.unsent.one': 'La modifica fatta su questo dispositivo e non ancora inviata resta salvata qui.',
  'refused.unsent.other': 'Le {count} modifiche fatte su questo dispositivo e non ancora inviate restano salvate qui.',
  'refused.badAddress.action': 'Controlla di aver copiato tutto il link, oppure chiedi un nuovo link a chi conduce.',

  'presence.none': 'Nessun partecipante',
  'presence.facilitators.one': '1 conduce',
  'presence.facilitators.other': '{count} conducono',
  'presence.withFacilitators': '{participants}, {facilitators}',
  'presence.facilitatorName': '{name} (conduce)',

  'lead.showCursors': 'Mostra sul proiettore i puntatori e le selezioni dei partecipanti',
  'lock.blocked': 'Questo elemento è bloccato da chi conduce: non si può spostare né modificare.',
} as const
