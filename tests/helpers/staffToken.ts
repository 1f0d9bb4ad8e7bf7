/**
 * The staff token every test server uses unless a test gives its own: the staff routes are never open
 * (server/src/meetings/SPEC.md S1), so a test that creates meetings presents this one.
 */
export const TEST_STAFF_TOKEN = 'test-staff-token-0123456789abcdef'

/** `Authorization` header with the test staff token, for a raw fetch. */
export const STAFF_AUTH = { authorization: `Bearer ${TEST_STAFF_TOKEN}` } as const
