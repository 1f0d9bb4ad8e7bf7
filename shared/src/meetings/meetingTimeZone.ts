/**
 * The time zone a meeting's times are written in, wherever they are shown (staff list, board header, report,
 * Decidim's closing time): the meeting's own place, not the zone of the server or of the browser that shows them
 * (a 09:00 meeting in Rome read 07:00 on a server in UTC). Tavolo's meetings are Italian municipal workshops:
 * Europe/Rome. Not yet configurable per meeting or per server (issue 19 item 17: the rest is left for later).
 */
export const DEFAULT_MEETING_TIME_ZONE = 'Europe/Rome'
