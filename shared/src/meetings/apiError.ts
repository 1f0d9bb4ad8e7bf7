import { z } from 'zod'

/** The closed vocabulary of REST error codes, with the HTTP status each one is sent with. */
export const ApiErrorStatus = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_role: 400,
  invalid_query: 400,
  /** A version number in the path that is not a positive integer (or `live` where allowed). */
  invalid_version: 400,
  /** An import file or version made by a newer tldraw than the server's: it cannot be migrated down. */
  unsupported_schema: 400,
  /** A query parameter with a value the route does not take (e.g. an unknown report format). */
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  /** The request cannot be done in the current state (e.g. a version that cannot be restored on this server). */
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  misdirected_request: 421,
  rate_limited: 429,
  internal: 500,
} as const

export type ApiErrorCode = keyof typeof ApiErrorStatus

export const ApiErrorCodeSchema = z.enum(Object.keys(ApiErrorStatus) as [ApiErrorCode, ...ApiErrorCode[]])

/** Every REST error body: `{ error: { code, message, details? } }`. `details` lists validation issues. */
export const ApiErrorBodySchema = z.object({
  error: z.object({
    code: ApiErrorCodeSchema,
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>
