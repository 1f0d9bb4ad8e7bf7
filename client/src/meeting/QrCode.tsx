import { useMemo } from 'react'
import { create as createQr } from 'qrcode'

/** A QR code drawn as one SVG path (no innerHTML), with a quiet zone, crisp at any size. */
export function QrCode({ text, size, label }: { text: string; size: number | string; label: string }) {
  const { path, modules } = useMemo(() => {
    const qr = createQr(text, { errorCorrectionLevel: 'M' })
    const n = qr.modules.size
    let d = ''
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        if (qr.modules.get(row, col)) d += `M${col + 2} ${row + 2}h1v1h-1z`
      }
    }
    return { path: d, modules: n + 4 }
  }, [text])
  return (
    <svg
      viewBox={`0 0 ${modules} ${modules}`}
      width={size}
      height={size}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-testid="qr-code"
      data-text={text}
      className="tavolo-qr"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  )
}
