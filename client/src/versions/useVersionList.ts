import { useCallback, useEffect, useState } from 'react'
import type { VersionListResponse } from '../../../shared/src/versions/versionSchemas.ts'
import type { ApiFailure } from '../meeting/meetingApi.ts'
import { listVersions } from './versionsApi.ts'

export type VersionListState =
  | { status: 'loading' }
  | { status: 'failed'; failure: ApiFailure }
  | { status: 'ready'; list: VersionListResponse }

const NO_KEY: VersionListState = {
  status: 'failed',
  failure: { kind: 'api', status: 401, code: 'unauthorized', message: 'no key in the link', details: [] },
}

/** The meeting's versions (newest first), loaded with this key; `reload()` after a save, restore or close. */
export function useVersionList(boardId: string, key: string | null): { state: VersionListState; reload(): void } {
  const [state, setState] = useState<VersionListState>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (!key) return
    const controller = new AbortController()
    listVersions(boardId, key, controller.signal).then(
      (result) => setState(result.ok ? { status: 'ready', list: result.value } : { status: 'failed', failure: result.failure }),
      () => {
        // aborted
      },
    )
    return () => controller.abort()
  }, [boardId, key, attempt])
  const reload = useCallback(() => setAttempt((a) => a + 1), [])
  return { state: key ? state : NO_KEY, reload }
}
