import { useEffect, useId, useRef, useState } from 'react'
import { copyToClipboard } from '../app/clipboard.ts'
import type { MeetingLinks } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'
import type { MessageKey } from '../i18n/it.ts'
import { useT } from '../i18n/useT.ts'
import { rotateKey } from './meetingApi.ts'
import { useMeetingInfo } from './MeetingContext.ts'
import { QrCode } from './QrCode.tsx'
import { useShareAddress } from './ShareAddress.tsx'
import './workshop.css'

type LinkKind = 'participant' | 'viewer' | 'projector' | 'facilitator'

const LINK_ROWS: Array<{ kind: Exclude<LinkKind, 'facilitator'>; role: Role; label: MessageKey; hint: MessageKey }> = [
  { kind: 'participant', role: 'participant', label: 'share.participant', hint: 'share.participantHint' },
  { kind: 'projector', role: 'viewer', label: 'share.projector', hint: 'share.projectorHint' },
  { kind: 'viewer', role: 'viewer', label: 'share.viewer', hint: 'share.viewerHint' },
]

/** Which address the links carry, when the page's own would not reach another device (participantAddress.ts A3, A4). */
function ShareAddressNotice() {
  const t = useT()
  const id = useId()
  const { address, pick } = useShareAddress()
  if (address.kind === 'thisComputerOnly') {
    return (
      <div className="tavolo-share-address tavolo-share-address-warning" role="alert" data-testid="share-address" data-kind={address.kind}>
        <p>
          <strong>{t('share.address.thisComputerOnly')}</strong>
        </p>
        <p>{t('share.address.thisComputerOnlyAction')}</p>
      </div>
    )
  }
  if (address.kind !== 'lan') return null
  const page = address.pageOrigin.replace(/^https?:\/\//, '')
  return (
    <div className="tavolo-share-address" data-testid="share-address" data-kind={address.kind}>
      <p>{t('share.address.lan', { page, address: address.base.replace(/^https?:\/\//, '') })}</p>
      {address.options.length > 1 && (
        <p className="tavolo-share-address-pick">
          <label htmlFor={`${id}-address`}>{t('share.address.pick')}</label>
          <select id={`${id}-address`} value={address.base} onChange={(e) => pick(e.currentTarget.value)} data-testid="share-address-pick">
            {address.options.map((origin) => (
              <option key={origin} value={origin}>
                {origin.replace(/^https?:\/\//, '')}
              </option>
            ))}
          </select>
          <span className="tavolo-hint">{t('share.address.pickHint')}</span>
        </p>
      )}
    </div>
  )
}

/** The facilitator's share panel: the three links to hand out, with copy buttons, and the participant QR code. */
export function SharePanel({ onClose }: { onClose(): void }) {
  const t = useT()
  const info = useMeetingInfo()
  const { linkFor } = useShareAddress()
  const id = useId()
  const closeRef = useRef<HTMLButtonElement>(null)
  const [copied, setCopied] = useState<LinkKind | null>(null)
  const [copyFailed, setCopyFailed] = useState(false)
  const [confirmRotate, setConfirmRotate] = useState<Role | null>(null)
  const [rotateState, setRotateState] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle')

  useEffect(() => {
    closeRef.current?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])

  useEffect(() => {
    if (copied === null) return
    const timer = setTimeout(() => setCopied(null), 4000)
    return () => clearTimeout(timer)
  }, [copied])

  const links: MeetingLinks | null = info?.links ?? null
  if (!info || !links) return null
  const participantLink = linkFor(links.participant)
  const facilitatorLink = linkFor(links.facilitator)

  async function copy(kind: LinkKind, link: string) {
    const ok = await copyToClipboard(link)
    setCopyFailed(!ok)
    setCopied(ok ? kind : null)
  }

  async function rotate(role: Role) {
    if (!info?.accessKey) return
    setRotateState('busy')
    const result = await rotateKey(info.boardId, role, info.accessKey)
    if (result.ok) {
      info.setLinks(result.value.links)
      setRotateState('done')
    } else {
      setRotateState('failed')
    }
    setConfirmRotate(null)
  }

  return (
    <div className="tavolo-overlay tavolo-share-overlay" onPointerDown={(e) => e.target === e.currentTarget && onClose()}>
      <section className="tavolo-card tavolo-share-panel" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} data-testid="share-panel">
        <div className="tavolo-share-head">
          <h2 id={`${id}-title`}>{t('share.title')}</h2>
          <button ref={closeRef} type="button" className="tavolo-button tavolo-button-secondary" onClick={onClose}>
            {t('share.close')}
          </button>
        </div>
        <ShareAddressNotice />
        <div className="tavolo-share-body">
          <figure className="tavolo-share-qr">
            <QrCode text={participantLink} size="100%" label={t('share.qrLabel')} />
            <figcaption>{t('share.qrCaption')}</figcaption>
          </figure>
          <div className="tavolo-share-links">
            {LINK_ROWS.map(({ kind, role, label, hint }) => {
              const link = linkFor(links[kind])
              return (
                <div className="tavolo-share-link" key={kind} data-testid={`share-${kind}`}>
                  <label htmlFor={`${id}-${kind}`}>{t(label)}</label>
                  <p className="tavolo-hint">{t(hint)}</p>
                  <div className="tavolo-share-row">
                    <input id={`${id}-${kind}`} readOnly value={link} onFocus={(e) => e.currentTarget.select()} data-testid={`share-${kind}-link`} />
                    <button
                      type="button"
                      className="tavolo-button"
                      onClick={() => void copy(kind, link)}
                    >
                      {copied === kind ? t('share.copied') : t('share.copy')}
                    </button>
                  </div>
                  {copied === kind && (
                    <p className="tavolo-ok" role="status">
                      {t('share.copiedLong')}
                    </p>
                  )}
                  {kind !== 'projector' && (
                    <p className="tavolo-share-rotate">
                      {confirmRotate === role ? (
                        <span className="tavolo-confirm" role="alert">
                          <span>{t(role === 'participant' ? 'share.rotateConfirmParticipant' : 'share.rotateConfirmViewer')}</span>
                          <span className="tavolo-actions">
                            <button type="button" className="tavolo-button tavolo-button-danger" disabled={rotateState === 'busy'} onClick={() => void rotate(role)}>
                              {t('share.rotateYes')}
                            </button>
                            <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => setConfirmRotate(null)}>
                              {t('share.rotateNo')}
                            </button>
                          </span>
                        </span>
                      ) : (
                        <button type="button" className="tavolo-link-button" onClick={() => setConfirmRotate(role)}>
                          {t('share.rotate')}
                        </button>
                      )}
                    </p>
                  )}
                </div>
              )
            })}
            <details className="tavolo-share-link tavolo-share-facilitator" data-testid="share-facilitator">
              <summary>{t('share.facilitatorShow')}</summary>
              <label htmlFor={`${id}-facilitator`}>{t('share.facilitator')}</label>
              <p className="tavolo-share-danger">{t('share.facilitatorWarning')}</p>
              <div className="tavolo-share-row">
                <input id={`${id}-facilitator`} readOnly value={facilitatorLink} onFocus={(e) => e.currentTarget.select()} data-testid="share-facilitator-link" />
                <button type="button" className="tavolo-button tavolo-button-secondary" onClick={() => void copy('facilitator', facilitatorLink)}>
                  {copied === 'facilitator' ? t('share.copied') : t('share.copy')}
                </button>
              </div>
            </details>
            {copyFailed && (
              <p className="tavolo-error" role="alert">
                {t('share.copyFailed')}
              </p>
            )}
            {rotateState === 'done' && (
              <p className="tavolo-ok" role="status">
                {t('share.rotated')}
              </p>
            )}
            {rotateState === 'failed' && (
              <p className="tavolo-error" role="alert">
                {t('share.rotateFailed')}
              </p>
            )}
          </div>
        </div>
      </section>
    </div>
  )
}
