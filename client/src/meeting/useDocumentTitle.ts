import { useEffect } from 'react'

/** The browser tab names the meeting ("Opificio di Comunità – Primo incontro · Tavolo"), and goes back on leaving. */
export function useDocumentTitle(meetingTitle: string | null | undefined): void {
  useEffect(() => {
    if (!meetingTitle) return
    const before = document.title
    document.title = `${meetingTitle} · Tavolo`
    return () => {
      document.title = before
    }
  }, [meetingTitle])
}
