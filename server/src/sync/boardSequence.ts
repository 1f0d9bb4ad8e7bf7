/**
 * Which of a board's committed rows (numbered by the shared store's gapless sequence, cluster SPEC C2) a room's doc
 * holds: every row up to `last`, plus ranges further on (this instance's own appends, committed after rows of other
 * instances it has not seen yet). A range past `last + 1` is a gap: the rows before it must be read from the store.
 */
export class BoardSequence {
  private ahead: Array<[first: number, lastOfRange: number]> = []

  constructor(private lastSeq: number) {}

  /** Every row up to this one is in the doc. */
  get last(): number {
    return this.lastSeq
  }

  /** Rows are in the doc that come after rows it does not hold. */
  get hasGap(): boolean {
    return this.ahead.length > 0
  }

  /** Whether rows `first` … `first + count - 1` would add anything to what the doc holds. */
  isNew(first: number, count: number): boolean {
    const end = first + count - 1
    return end > this.lastSeq && !this.ahead.some(([a, b]) => a <= first && end <= b)
  }

  /** Whether rows starting at `first` follow directly on what the doc holds (they can be applied as they are). */
  follows(first: number): boolean {
    return first <= this.lastSeq + 1
  }

  /** Rows `first` … `first + count - 1` are in the doc now. */
  add(first: number, count: number): void {
    if (count <= 0) return
    this.ahead.push([first, first + count - 1])
    this.settle()
  }

  /** Every row up to `seq` is in the doc now (read from the store). */
  caughtUpTo(seq: number): void {
    if (seq > this.lastSeq) this.lastSeq = seq
    this.settle()
  }

  private settle(): void {
    this.ahead.sort((x, y) => x[0] - y[0])
    const left: Array<[number, number]> = []
    for (const [first, end] of this.ahead) {
      if (first <= this.lastSeq + 1) this.lastSeq = Math.max(this.lastSeq, end)
      else left.push([first, end])
    }
    this.ahead = left
  }
}
