import type { Report } from './report.ts'

export interface BrowserSuiteOptions {
  quick: boolean
}

export async function runBrowserSuite(report: Report, _options: BrowserSuiteOptions): Promise<void> {
  report.section('Browser', 'Not measured yet: the board client has not landed.')
  report.target('2,000-note board interactive < 3 s', 'NOT MEASURED', 'client not built')
  report.target('A→B paint p95 < 100 ms', 'NOT MEASURED', 'client not built')
}
