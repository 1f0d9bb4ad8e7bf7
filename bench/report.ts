/** INFO: a number printed beside the targets that this run cannot judge (say why in the detail). */
export type Verdict = 'PASS' | 'FAIL' | 'NOT MEASURED' | 'INFO'

export interface TargetResult {
  target: string
  verdict: Verdict
  detail: string
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n')
}

/** One report per run: sections print as they finish, so a long run shows progress and a crash keeps what was done. */
export class Report {
  private readonly sections: string[] = []
  readonly targets: TargetResult[] = []

  section(title: string, body: string): void {
    const text = `### ${title}\n\n${body}\n`
    this.sections.push(text)
    console.log(`\n${text}`)
  }

  target(target: string, verdict: Verdict, detail: string): void {
    this.targets.push({ target, verdict, detail })
    console.log(`${verdict}: ${target} (${detail})`)
  }

  toMarkdown(header: string): string {
    const targets = markdownTable(
      ['Target', 'Result', 'Measured'],
      this.targets.map((t) => [t.target, `**${t.verdict}**`, t.detail]),
    )
    return [header, '### Targets\n', targets, '', ...this.sections].join('\n')
  }
}
