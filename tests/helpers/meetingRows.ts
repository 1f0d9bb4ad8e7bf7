/**
 * Counts a meeting's rows in every table of a Tavolo database file that names a meeting or board (meetings SPEC E1):
 * the columns `meeting_id` and `board_id`, and `id` of the `meetings` table. Read on a connection of its own, so it
 * sees what is committed, whatever the server's stores claim.
 */
import Database from 'better-sqlite3'

/** The columns that hold a meeting's (or its board's) id. */
const MEETING_COLUMNS = ['meeting_id', 'board_id']

/** Table → the column naming the meeting, for every table that has one. */
export function meetingTables(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>
    const found: Record<string, string> = {}
    for (const { name } of tables) {
      const columns = (db.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string }>).map((c) => c.name)
      const column = name === 'meetings' ? 'id' : columns.find((c) => MEETING_COLUMNS.includes(c))
      if (column !== undefined) found[name] = column
    }
    return found
  } finally {
    db.close()
  }
}

/** Rows per table (every table of meetingTables) that belong to the meeting. */
export function meetingRows(file: string, meetingId: string): Record<string, number> {
  const tables = meetingTables(file)
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    return Object.fromEntries(
      Object.entries(tables).map(([table, column]) => [
        table,
        (db.prepare(`SELECT COUNT(*) AS n FROM "${table}" WHERE "${column}" = ?`).get(meetingId) as { n: number }).n,
      ]),
    )
  } finally {
    db.close()
  }
}
