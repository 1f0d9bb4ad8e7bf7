import type { BoardId } from '../../../shared/src/boardId.ts'
import { openBoardEarly, syncUrlFor } from '../board/boardConnection.ts'
import { loadServerConfig, type ServerConfigResult } from '../config/serverConfig.ts'
import type { MeetingDetailResponse } from '../../../shared/src/meetings/meetingSchemas.ts'
import { getMeeting, type ApiResult } from '../meeting/meetingApi.ts'
import { parseRoute } from './routes.ts'
import { preloadBoardFonts } from './boardFontPreload.ts'

/**
 * What a board page needs from the network, started at boot by main.tsx before the app's code (tldraw, React) is
 * downloaded and evaluated (board SPEC S8): `/api/config`, `/api/meetings/:id` and the board's connection (IndexedDB
 * + socket), all at once. The pages take each answer once (a retry or a later visit asks again).
 *
 * Must not import tldraw or React: it runs in the small boot chunk.
 */
let bootConfig: Promise<ServerConfigResult> | null = null
let bootMeeting: { boardId: BoardId; key: string; answer: Promise<ApiResult<MeetingDetailResponse>> } | null = null

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

export function startBootRequests(location: Location): void {
  const route = parseRoute(location.pathname, location.hash)
  if (route.kind !== 'board' && route.kind !== 'projector') return
  preloadBoardFonts(document)
  bootConfig = loadServerConfig(localStorageOrNull())
  if (route.key) bootMeeting = { boardId: route.boardId, key: route.key, answer: getMeeting(route.boardId, route.key) }
  openBoardEarly({ boardId: route.boardId, accessKey: route.key, syncUrl: syncUrlFor(location) })
}

/** The boot's `/api/config` answer, once; null when none was asked or it was already taken. */
export function takeBootConfig(): Promise<ServerConfigResult> | null {
  const answer = bootConfig
  bootConfig = null
  return answer
}

/** The boot's `/api/meetings/:id` answer for this board and key, once. */
export function takeBootMeeting(boardId: BoardId, key: string): Promise<ApiResult<MeetingDetailResponse>> | null {
  if (!bootMeeting || bootMeeting.boardId !== boardId || bootMeeting.key !== key) return null
  const { answer } = bootMeeting
  bootMeeting = null
  return answer
}
