import { useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { decidimCopyFields, type DecidimFormField } from '../../../shared/src/report/decidimForm.ts'
import type { DecidimClosePayload } from '../../../shared/src/report/renderReport.ts'
import { copyRichText, copyToClipboard, downloadText } from '../app/clipboard.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'

const LABEL: Record<DecidimFormField, MessageKey> = {
  closing_report: 'maps.decidim.field.closing_report',
  attendees_count: 'maps.decidim.field.attendees_count',
  contributions_count: 'maps.decidim.field.contributions_count',
  attending_organizations: 'maps.decidim.field.attending_organizations',
  proposal_ids: 'maps.decidim.field.proposal_ids',
  closed_at: 'maps.decidim.field.closed_at',
}

type Status = { kind: 'idle' } | { kind: 'done' | 'error'; text: string }

/**
 * Staff close the meeting in Decidim's admin form by pasting: each field of the form with its Decidim name, its
 * value and its own copy button (the closing report as rich text, so Decidim's editor keeps headings and lists).
 * The JSON payload stays downloadable for the API.
 */
export function DecidimCopyDialog({ payload, fileName, onClose }: { payload: DecidimClosePayload; fileName: string; onClose(): void }) {
  const t = useT()
  const id = useId()
  const closeRef = useRef<HTMLButtonElement>(null)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const fields = decidimCopyFields(payload)

  useEffect(() => {
    closeRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  const copy = async (field: DecidimFormField, text: string, html: string | undefined) => {
    const ok = html === undefined ? await copyToClipboard(text) : await copyRichText(html, text)
    const label = t(LABEL[field])
    setStatus(ok ? { kind: 'done', text: t('maps.decidim.copied', { field: label }) } : { kind: 'error', text: t('maps.report.copyFailed') })
  }
  const download = () => {
    downloadText(JSON.stringify(payload, null, 2), fileName, 'application/json;charset=utf-8')
    setStatus({ kind: 'done', text: t('maps.report.downloaded', { file: fileName }) })
  }

  // In a portal: the lead bar it is opened from is a transformed box, which would hold a fixed overlay inside it.
  return createPortal(
    <div className="tavolo-overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <section className="tavolo-card tavolo-dialog tavolo-decidim" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="decidim-dialog">
        <h2 id={`${id}-title`}>{t('maps.decidim.title')}</h2>
        <p className="tavolo-decidim-how">{t('maps.decidim.how')}</p>
        <ol className="tavolo-decidim-fields">
          {fields.map(({ field, text, html }) => (
            <li key={field} className="tavolo-decidim-field" data-testid={`decidim-field-${field}`}>
              <div className="tavolo-decidim-name">
                <strong>{t(LABEL[field])}</strong> <code>{field}</code>
              </div>
              {text === '' ? (
                <p className="tavolo-decidim-empty">{t('maps.decidim.empty')}</p>
              ) : (
                <div className="tavolo-decidim-value-row">
                  <div className={field === 'closing_report' ? 'tavolo-decidim-value tavolo-decidim-long' : 'tavolo-decidim-value'} data-testid={`decidim-value-${field}`}>
                    {text}
                  </div>
                  <button
                    type="button"
                    className="tavolo-button tavolo-button-secondary tavolo-decidim-copy"
                    onClick={() => void copy(field, text, html)}
                    aria-label={t('maps.decidim.copyField', { field: t(LABEL[field]) })}
                    data-testid={`decidim-copy-${field}`}
                  >
                    {t('maps.decidim.copy')}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ol>
        <p className="tavolo-decidim-visible">{t(payload.closingVisible ? 'maps.decidim.visible' : 'maps.decidim.hidden')}</p>
        <p className="tavolo-lead-note" role="status" data-testid="decidim-status" data-kind={status.kind}>
          {status.kind === 'idle' ? '' : status.text}
        </p>
        <div className="tavolo-actions">
          <button type="button" className="tavolo-button tavolo-button-secondary" onClick={download} data-testid="decidim-download">
            {t('maps.decidim.download')}
          </button>
          <button ref={closeRef} type="button" className="tavolo-button" onClick={onClose} data-testid="decidim-close">
            {t('maps.decidim.close')}
          </button>
        </div>
      </section>
    </div>,
    document.body,
  )
}
