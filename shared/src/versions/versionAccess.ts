import type { VersionsVisibleTo } from '../meetings/meetingSchemas.ts'
import type { Role } from '../roles.ts'

/**
 * Whether a role may list, open, compare and export a meeting's versions under its `versionsVisibleTo` setting
 * (server/src/versions/SPEC.md V12). Facilitators always may; making versions is for facilitators only.
 */
export function canSeeVersions(role: Role, visibleTo: VersionsVisibleTo): boolean {
  switch (role) {
    case 'facilitator':
      return true
    case 'participant':
      return visibleTo === 'participants' || visibleTo === 'everyone'
    case 'viewer':
      return visibleTo === 'everyone'
    default: {
      const never: never = role
      throw new Error(`unknown role ${String(never)}`)
    }
  }
}
