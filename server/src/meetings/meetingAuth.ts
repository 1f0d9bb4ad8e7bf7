import { ROLES, type Role } from '../../../shared/src/roles.ts'
import { secretMatches } from './meetingKeys.ts'
import type { StoredMeeting } from './meetingStore.ts'

/**
 * Identifies one key of a meeting: its role and version. A rotation bumps the version, so the connections opened
 * with the old key are exactly those whose credential is `credentialOf(role, oldVersion)`. It never contains the key.
 */
export function credentialOf(role: Role, version: number): string {
  return `${role}:v${version}`
}

/**
 * The role and credential of a presented key on a meeting, or null when it matches none of its keys.
 * All three keys are compared (in constant time each), so the time taken does not tell which role matched.
 */
export function authenticateKey(stored: StoredMeeting, presented: string): { role: Role; credential: string } | null {
  let found: Role | null = null
  for (const role of ROLES) {
    if (secretMatches(presented, stored.keys[role]) && found === null) found = role
  }
  return found === null ? null : { role: found, credential: credentialOf(found, stored.keyVersions[found]) }
}
