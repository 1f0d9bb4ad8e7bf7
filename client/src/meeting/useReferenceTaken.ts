import { useEffect, useState } from 'react'
import { REFERENCE_PATTERN, type Meeting } from '../../../shared/src/meetings/meetingSchemas.ts'
import { meetingsWithReference } from './meetingApi.ts'

/** Typing pauses this long before the server is asked. */
const ASK_AFTER_MS = 400

/**
 * The meetings that already carry `reference` (meetings SPEC M6), asked of the server once typing pauses; empty while
 * the reference is blank or malformed, without the staff token, or when the server could not answer (a warning,
 * never a reason not to create).
 */
export function useReferenceTaken(reference: string, adminToken: string | null): { reference: string; meetings: Meeting[] } {
  const wanted = reference.trim()
  const [found, setFound] = useState<{ reference: string; meetings: Meeting[] }>({ reference: '', meetings: [] })
  useEffect(() => {
    if (adminToken === null || !REFERENCE_PATTERN.test(wanted)) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      meetingsWithReference(adminToken, wanted, controller.signal)
        .then((answer) => {
          if (answer.ok) setFound({ reference: wanted, meetings: answer.value.meetings.map((m) => m.meeting) })
        })
        .catch(() => {})
    }, ASK_AFTER_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [wanted, adminToken])
  return found.reference === wanted ? found : { reference: wanted, meetings: [] }
}
