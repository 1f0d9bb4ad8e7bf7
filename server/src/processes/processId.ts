import { randomBytes } from 'node:crypto'

/** A process id: 16 random URL-safe characters (96 bits), like a meeting's (PROCESS_ID_PATTERN accepts it). */
export function generateProcessId(): string {
  return randomBytes(12).toString('base64url')
}
