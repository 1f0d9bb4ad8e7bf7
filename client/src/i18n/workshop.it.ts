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
} as const
