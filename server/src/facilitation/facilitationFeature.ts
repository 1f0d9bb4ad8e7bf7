import type express from 'express'
import type { Logger } from 'pino'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import type { PerMeetingStore } from '../store/meetingErasure.ts'
import type { DocGuard } from '../sync/Room.ts'
import type { BoardRooms } from '../versions/versionService.ts'
import { createFacilitationGuard } from './facilitationGuard.ts'
import { createFacilitationRouter } from './facilitationRouter.ts'
import { createFacilitationService, type FacilitationService } from './facilitationService.ts'
import type { VoteStore } from './VoteStore.ts'
import type { PrivateCardStore } from './PrivateCardStore.ts'
import { createPrivateRoundService, type PrivateRoundService } from './privateRoundService.ts'
import type { MeetingId } from '../../../shared/src/meetings/meetingId.ts'

export interface FacilitationFeature {
  service: FacilitationService
  /** Private brainstorming rounds ("Scrittura individuale"). */
  privateRounds: PrivateRoundService
  /** Mounts the votes, timer and time routes; before the meetings router (which answers 404 to the rest). */
  mountRoutes: (app: express.Express) => void
  /** FG1 on every loaded board. */
  docGuards: DocGuard[]
  /** Stops the votes' closing timers. */
  dispose(): void
}

/** Erasing a meeting erases its votes and ballots: the vote store is one of the eraser's per-meeting stores (main.ts). */
export function votesPerMeetingStore(votes: VoteStore): PerMeetingStore {
  return {
    component: 'votes',
    eraseMeeting: (meetingId) => votes.deleteMeeting(meetingId as MeetingId),
    meetingIds: () => votes.meetingIds(),
  }
}

/** Erasing a meeting erases its private rounds and cards (main.ts lists it with the other per-meeting stores). */
export function privateCardsPerMeetingStore(store: PrivateCardStore): PerMeetingStore {
  return {
    component: 'private_rounds',
    eraseMeeting: (meetingId) => store.deleteMeeting(meetingId as MeetingId),
    meetingIds: () => store.meetingIds(),
  }
}

/** Dot-voting, the shared timer and private rounds (issue 20), on the meetings feature's store and caller checks. */
export function createFacilitationFeature(options: {
  votes: VoteStore
  privateCards: PrivateCardStore
  meetings: MeetingStore
  auth: CallerAuth
  rooms: () => BoardRooms
  logger: Logger
  now?: () => number
}): FacilitationFeature {
  const service = createFacilitationService({ votes: options.votes, rooms: options.rooms, logger: options.logger, now: options.now })
  const privateRounds = createPrivateRoundService({ store: options.privateCards, rooms: options.rooms, logger: options.logger, now: options.now })
  const router = createFacilitationRouter({ service, privateRounds, meetings: options.meetings, auth: options.auth, logger: options.logger })
  return {
    service,
    privateRounds,
    mountRoutes: (app) => app.use(router),
    docGuards: [createFacilitationGuard(options.logger)],
    dispose: () => service.dispose(),
  }
}
