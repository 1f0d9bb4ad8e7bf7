import { z } from 'zod'

/** The closed vocabulary of REST error codes, with the HTTP status each one is sent with. */
export const ApiErrorStatus = {
  invalid_json: 400,
  invalid_body: 400,
  invalid_role: 400,
  invalid_query: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
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
