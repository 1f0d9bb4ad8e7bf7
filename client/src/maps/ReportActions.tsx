import { useCallback, useId, useState } from 'react'
import { parseDecidimPayload } from '../../../shared/src/report/decidimForm.ts'
import type { DecidimClosePayload } from '../../../shared/src/report/renderReport.ts'
import { useMeetingInfo } from '../meeting/MeetingContext.ts'
import { useLocale, useT } from '../i18n/useT.ts'
import { AttendeesCountField } from './AttendeesCountField.tsx'
import { downloadText } from '../app/clipboard.ts'
import type { ReportFormat } from '../../../shared/src/report/renderReport.ts'
import { DecidimCopyDialog } from './DecidimCopyDialog.tsx'
import { fetchReport, reportFileName, withReportCsp, type ReportResult, type ReportSource } from './reportApi.ts'

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'done' | 'error'; text: string }

/**
 * The facilitator's report buttons: the HTML report in a new tab (printable to PDF), the Markdown file, and the
 * Decidim close-meeting form's fields to copy one by one (DecidimCopyDialog). Of the live board or of the latest saved version (the
 * server falls back to the live board while the meeting has no version).
 */
export function ReportActions() {
  const t = useT()
  const locale = useLocale()
  const info = useMeetingInfo()
  const selectId = useId()
  const [source, setSource] = useState<'live' | 'latest'>('live')
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const [decidim, setDecidim] = useState<DecidimClosePayload | null>(null)
  const closeDecidim = useCallback(() => setDecidim(null), [])
  if (!info?.accessKey) return null
  const { boardId, accessKey } = info
  const reportSource: ReportSource = source === 'live' ? 'live' : null
  const baseName = info.meeting?.reference ?? boardId

  const failure = (result: Extract<ReportResult, { ok: false }>): string => {
    if (result.kind === 'network') return t('maps.report.network')
    return t('maps.report.failed', { message: result.message || String(result.status) })
  }
  const load = async (format: ReportFormat) => {
    setStatus({ kind: 'busy' })
    return fetchReport(boardId, accessKey, format, reportSource, locale)
  }

  const openHtml = async () => {
    // Opened inside the click (pop-up blockers allow only that), filled once the report has arrived.
    const tab = window.open('', '_blank')
    if (!tab) {
      setStatus({ kind: 'error', text: t('maps.report.popupBlocked') })
      return
    }
    tab.opener = null
    tab.document.title = t('maps.report.busy')
    tab.document.body.textContent = t('maps.report.busy')
    const result = await load('html')
    if (!result.ok) {
      tab.close()
      setStatus({ kind: 'error', text: failure(result) })
      return
    }
    // A blob URL keeps the report a document of its own (printable, savable), not a page of the board's app.
    tab.location.replace(URL.createObjectURL(new Blob([withReportCsp(result.text)], { type: 'text/html;charset=utf-8' })))
    setStatus({ kind: 'done', text: t('maps.report.opened') })
  }

  const downloadMarkdown = async () => {
    const result = await load('md')
    if (!result.ok) return setStatus({ kind: 'error', text: failure(result) })
    const file = reportFileName(baseName, reportSource, 'md')
    downloadText(result.text, file, 'text/markdown;charset=utf-8')
    setStatus({ kind: 'done', text: t('maps.report.downloaded', { file }) })
  }

  const openDecidim = async () => {
    const result = await load('decidim')
    if (!result.ok) return setStatus({ kind: 'error', text: failure(result) })
    const payload = parseDecidimPayload(result.text)
    if (payload === null) return setStatus({ kind: 'error', text: t('maps.decidim.unreadable') })
    setStatus({ kind: 'idle' })
    setDecidim(payload)
  }

  const busy = status.kind === 'busy'
  return (
    <div className="tavolo-lead-group" data-testid="report-actions">
      <label className="tavolo-lead-label" htmlFor={selectId}>
        {t('maps.report.source')}
      </label>
      <select
        id={selectId}
        className="tavolo-maps-select"
        value={source}
        onChange={(e) => setSource(e.target.value === 'latest' ? 'latest' : 'live')}
        data-testid="report-source"
      >
        <option value="live">{t('maps.report.sourceLive')}</option>
        <option value="latest">{t('maps.report.sourceLatest')}</option>
      </select>
      <button type="button" className="tavolo-lead-button" disabled={busy} onClick={() => void openHtml()} data-testid="report-open">
        {t('maps.report.open')}
      </button>
      <button type="button" className="tavolo-lead-button" disabled={busy} onClick={() => void downloadMarkdown()} data-testid="report-markdown">
        {t('maps.report.markdown')}
      </button>
      <button type="button" className="tavolo-lead-button" disabled={busy} onClick={() => void openDecidim()} data-testid="report-decidim">
        {t('maps.report.decidim')}
      </button>
      <p className="tavolo-lead-note" role="status" data-testid="report-status" data-kind={status.kind}>
        {status.kind === 'busy' ? t('maps.report.busy') : status.kind === 'idle' ? '' : status.text}
      </p>
      <AttendeesCountField />
      {decidim !== null && <DecidimCopyDialog payload={decidim} fileName={reportFileName(baseName, reportSource, 'decidim.json')} onClose={closeDecidim} />}
    </div>
  )
}
