import express, { type Request, type RequestHandler } from 'express'
import type { Logger } from 'pino'
import { TimerActionSchema } from '../../../shared/src/facilitation/timer.ts'
import { CreateVoteInputSchema, PutBallotInputSchema, VOTER_ID_PATTERN } from '../../../shared/src/facilitation/voteRules.ts'
import { parseMeetingId, type MeetingId } from '../../../shared/src/meetings/meetingId.ts'
import { canEditBoard, canManageMeeting, type Role } from '../../../shared/src/roles.ts'
import { ApiError } from '../http/apiError.ts'
import type { CallerAuth } from '../meetings/callerAuth.ts'
import type { MeetingStore } from '../meetings/meetingStore.ts'
import { createApiErrorHandler, parseBody } from '../meetings/meetingsRouter.ts'
import { FacilitationError, type FacilitationService } from './facilitationService.ts'
import type { PrivateRoundService } from './privateRoundService.ts'
import { CreatePrivateRoundInputSchema, PutPrivateCardsInputSchema } from '../../../shared/src/facilitation/privateRound.ts'

/** Every body here is a few hundred bytes (a ballot: at most 20 card ids). */
const BODY_BYTES = 8 * 1024
const VOTE_ID = /^vote_[A-Za-z0-9_-]{1,32}$/
const ROUND_ID = /^round_[A-Za-z0-9_-]{1,32}$/
/** A device's private cards: at most PRIVATE_CARDS_MAX × 4 cards of MAX_SHAPE_TEXT characters travel in one body. */
const PRIVATE_BODY_BYTES = 512 * 1024

interface Access {
  id: MeetingId
  role: Role
}

/**
 * REST API of facilitation (server/src/facilitation/SPEC.md):
 *   POST /api/meetings/:id/votes                              (facilitator) → 201 { vote }
 *   PUT  /api/meetings/:id/votes/:voteId/ballots/:voterId      (participant, facilitator) → 200 { ballot }
 *   GET  /api/meetings/:id/votes/:voteId?voterId=…            (any key) → 200 VoteView
 *   POST /api/meetings/:id/votes/:voteId/close | /reveal      (facilitator)
 *   POST /api/meetings/:id/timer                              (facilitator) → 200 { timer }
 *   GET  /api/time                                            (anyone) → 200 { now } (server clock, ms)
 *   POST /api/meetings/:id/private-rounds                     (facilitator) → 201 { round }
 *   PUT  /api/meetings/:id/private-rounds/:roundId/cards/:voterId (participant, facilitator) → 200 { cards }
 *   GET  /api/meetings/:id/private-rounds/:roundId?voterId=… (any key) → 200 PrivateRoundView
 *   POST /api/meetings/:id/private-rounds/:roundId/reveal     (facilitator) → 200 { round, cards }
 * Mounted before the meetings router. The caller is authenticated before any body is read.
 */
export function createFacilitationRouter(options: {
  service: FacilitationService
  privateRounds: PrivateRoundService
  meetings: MeetingStore
  auth: CallerAuth
  logger: Logger
}): express.Router {
  const { service, privateRounds, meetings, auth } = options
  const log = options.logger.child({ component: 'facilitation' })
  const router = express.Router()
  const base = '/api/meetings/:id'

  // The one place this router identifies its caller (meetings SPEC A2 order: unknown meeting 404, then the key).
  const authorise = async (req: Request): Promise<Access> => {
    const raw = req.params.id
    const id = typeof raw === 'string' ? parseMeetingId(raw) : null
    const stored = id === null ? null : await meetings.get(id)
    if (stored === null || id === null) throw new ApiError('not_found', 'no meeting with this id')
    return { id, role: auth.callerRole(req, stored) }
  }
  /** Authenticates (and checks the role) before the body is parsed; the access lands in res.locals. */
  const as = (allowed: (role: Role) => boolean, refusal: string): RequestHandler => {
    return (req, res, next) => {
      authorise(req)
        .then((access) => {
          if (!allowed(access.role)) throw new ApiError('forbidden', refusal)
          res.locals.access = access
          next()
        })
        .catch(next)
    }
  }
  const accessOf = (res: express.Response) => res.locals.access as Access
  const jsonUpTo = (limit: number): RequestHandler[] => [
    (req, _res, next) => {
      const length = req.headers['content-length']
      const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
      if (hasBody && req.is('application/json') !== 'application/json') {
        next(new ApiError('unsupported_media_type', 'the body must be JSON (Content-Type: application/json)'))
        return
      }
      next()
    },
    express.json({ limit, strict: true }),
  ]
  const json = jsonUpTo(BODY_BYTES)
  const voteIdOf = (req: Request): string => {
    const raw = req.params.voteId
    if (typeof raw !== 'string' || !VOTE_ID.test(raw)) throw new ApiError('not_found', 'this meeting has no such vote')
    return raw
  }
  const voterIdOf = (raw: unknown): string => {
    if (typeof raw !== 'string' || !VOTER_ID_PATTERN.test(raw)) {
      throw new ApiError('invalid_parameter', 'voterId must be 16 to 64 letters, digits, "-" or "_"')
    }
    return raw
  }
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      if (error instanceof FacilitationError) throw new ApiError(error.code, error.message)
      throw error
    }
  }
  const facilitator = (action: string) => as(canManageMeeting, `only a facilitator may ${action}`)

  router.use(['/api/time', '/api/meetings/:id/votes', '/api/meetings/:id/timer', '/api/meetings/:id/private-rounds'], (_req, res, next) => {
    res.set('Cache-Control', 'no-store')
    next()
  })

  router.get('/api/time', (_req, res) => {
    res.json({ now: service.now() })
  })

  router.post(`${base}/votes`, facilitator('start a vote'), ...json, async (req, res) => {
    const { id } = accessOf(res)
    const input = parseBody(CreateVoteInputSchema, req.body, 'invalid vote')
    const vote = await run(() => service.startVote(id, input))
    res.status(201).json({ vote })
  })

  router.put(
    `${base}/votes/:voteId/ballots/:voterId`,
    as(canEditBoard, 'a viewer key cannot vote'),
    ...json,
    async (req, res) => {
      const { id, role } = accessOf(res)
      const voteId = voteIdOf(req)
      const voterId = voterIdOf(req.params.voterId)
      const input = parseBody(PutBallotInputSchema, req.body, 'invalid ballot')
      await run(() => service.assertSessionAdmits(id, role, 'ballots'))
      const ballot = await run(() => service.putBallot(id, voteId, voterId, input.cardIds))
      res.json({ ballot })
    },
  )

  router.get(`${base}/votes/:voteId`, as(() => true, ''), async (req, res) => {
    const { id, role } = accessOf(res)
    const voteId = voteIdOf(req)
    const raw = req.query.voterId
    const voterId = raw === undefined ? null : voterIdOf(raw)
    res.json(await run(() => service.view(id, voteId, role, voterId)))
  })

  router.post(`${base}/votes/:voteId/close`, facilitator('close a vote'), async (req, res) => {
    const { id } = accessOf(res)
    const vote = await run(() => service.close(id, voteIdOf(req)))
    res.json({ vote })
  })

  router.post(`${base}/votes/:voteId/reveal`, facilitator('reveal a vote'), async (req, res) => {
    const { id } = accessOf(res)
    res.json(await run(() => service.reveal(id, voteIdOf(req))))
  })

  router.post(`${base}/timer`, facilitator('run the timer'), ...json, async (req, res) => {
    const { id } = accessOf(res)
    const action = parseBody(TimerActionSchema, req.body, 'invalid timer action')
    const timer = await service.timer(id, action)
    res.json({ timer, now: service.now() })
  })

  const roundIdOf = (req: Request): string => {
    const raw = req.params.roundId
    if (typeof raw !== 'string' || !ROUND_ID.test(raw)) throw new ApiError('not_found', 'this meeting has no such private round')
    return raw
  }

  router.post(`${base}/private-rounds`, facilitator('start a private round'), ...json, async (req, res) => {
    const { id } = accessOf(res)
    const input = parseBody(CreatePrivateRoundInputSchema, req.body, 'invalid private round')
    const round = await run(() => privateRounds.start(id, input))
    res.status(201).json({ round })
  })

  router.put(
    `${base}/private-rounds/:roundId/cards/:voterId`,
    as(canEditBoard, 'a viewer key cannot write cards'),
    ...jsonUpTo(PRIVATE_BODY_BYTES),
    async (req, res) => {
      const { id, role } = accessOf(res)
      const roundId = roundIdOf(req)
      const voterId = voterIdOf(req.params.voterId)
      const input = parseBody(PutPrivateCardsInputSchema, req.body, 'invalid private cards')
      await run(() => service.assertSessionAdmits(id, role, 'private cards'))
      const cards = await run(() => privateRounds.putCards(id, roundId, voterId, input.name ?? null, input.cards))
      res.json({ cards })
    },
  )

  router.get(`${base}/private-rounds/:roundId`, as(() => true, ''), async (req, res) => {
    const { id, role } = accessOf(res)
    const roundId = roundIdOf(req)
    const raw = req.query.voterId
    const voterId = raw === undefined ? null : voterIdOf(raw)
    res.json(await run(() => privateRounds.view(id, roundId, role, voterId)))
  })

  router.post(`${base}/private-rounds/:roundId/reveal`, facilitator('reveal a private round'), async (req, res) => {
    const { id } = accessOf(res)
    res.json(await run(() => privateRounds.reveal(id, roundIdOf(req))))
  })

  router.use(['/api/meetings', '/api/time'], createApiErrorHandler(log, PRIVATE_BODY_BYTES))
  return router
}
