/**
 * Distinct cursor colours for distinct people, while the palette allows. Pure (tests/unit/presenceColors.test.ts).
 *
 * Every peer computes the same assignment from the same awareness states: people in the order they joined (the
 * `joinedAt` each publishes, ties by user id), each keeps their own colour unless someone who joined earlier has it,
 * else takes the next free palette colour after their own. A newcomer never changes the colour of anyone already
 * there. Two tabs of one person (same user id) are one person. Past the palette's size, colours repeat (own colour).
 */
export interface ColorClaim {
  userId: string
  /** The colour the person chose or was given (localPreferences.ts colorForUserId). */
  preferred: string
  /** When this person's session started (ms), as they published it. */
  joinedAt: number
}

export function assignPresenceColors(claims: readonly ColorClaim[], palette: readonly string[]): Map<string, string> {
  const earliest = new Map<string, ColorClaim>()
  for (const claim of claims) {
    const seen = earliest.get(claim.userId)
    if (!seen || claim.joinedAt < seen.joinedAt) earliest.set(claim.userId, claim)
  }
  const people = [...earliest.values()].sort((a, b) => a.joinedAt - b.joinedAt || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
  const taken = new Set<string>()
  const result = new Map<string, string>()
  for (const person of people) {
    let color = person.preferred
    if (taken.has(color)) {
      const start = Math.max(0, palette.indexOf(color))
      const free = palette.length === 0 ? undefined : [...palette.slice(start), ...palette.slice(0, start)].find((c) => !taken.has(c))
      color = free ?? person.preferred
    }
    taken.add(color)
    result.set(person.userId, color)
  }
  return result
}
