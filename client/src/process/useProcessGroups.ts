import { useEffect, useMemo, useState } from 'react'
import type { MeetingListResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { ProcessListResponse } from '../../../shared/src/process/processSchemas.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { getProcess } from './processApi.ts'

type MeetingEntry = MeetingListResponse['meetings'][number]

/** One process's section of the staff list: all its meetings, in date order (server SPEC PS4). */
export type ProcessGroup = { status: 'loading' } | { status: 'ready'; meetings: MeetingEntry[] } | { status: 'failed'; failure: ApiFailure }

/**
 * The meetings of every process for the staff list (issue 22), each read from `GET /api/processes/:id`, so a group
 * is whole whatever page of the newest-first list its meetings are on. Read again whenever `processes` is (a process
 * made, a meeting moved or deleted).
 */
export function useProcessGroups(token: string | null, processes: ProcessListResponse['processes']): ReadonlyMap<string, ProcessGroup> {
  // the answers so far; what was shown stays until its new answer comes (no flash of "loading" after a move)
  const [answers, setAnswers] = useState<ReadonlyMap<string, ProcessGroup>>(new Map())
  useEffect(() => {
    if (token === null) return
    const controller = new AbortController()
    for (const { process } of processes) {
      getProcess(process.id, token, controller.signal).then(
        (result) => {
          const group: ProcessGroup = result.ok
            ? { status: 'ready', meetings: result.value.meetings.flatMap(({ meeting, links }) => (links === undefined ? [] : [{ meeting, links }])) }
            : { status: 'failed', failure: result.failure }
          setAnswers((before) => new Map(before).set(process.id, group))
        },
        () => {
          // aborted
        },
      )
    }
    return () => controller.abort()
  }, [token, processes])
  return useMemo(() => new Map(processes.map(({ process }) => [process.id, answers.get(process.id) ?? { status: 'loading' }])), [processes, answers])
}
