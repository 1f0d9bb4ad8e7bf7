import { useId, useState } from 'react'
import { useEditor, useValue, type TLShapeId } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { boardImage, downloadBlob, exportableFrames, exportFileName, type ExportScope, type ImageFormat } from './boardExport.ts'

/**
 * PNG and SVG of the page, of one frame, or of the selection, made by tldraw in this browser. `fileSuffix` names the
 * file (e.g. "versione-3"); `onJson` adds the board-file download (the server makes that file).
 */
export function ExportControls({ fileBase, fileSuffix, onJson }: { fileBase: string | null; fileSuffix: string; onJson?: () => Promise<boolean> }) {
  const t = useT()
  const id = useId()
  const editor = useEditor()
  const frames = useValue('exportable frames', () => exportableFrames(editor), [editor])
  const hasSelection = useValue('has selection', () => editor.getSelectedShapeIds().length > 0, [editor])
  const [scope, setScope] = useState<string>('page')
  const [state, setState] = useState<'idle' | 'busy' | 'empty' | 'failed'>('idle')

  const chosen: ExportScope =
    scope === 'selection' && hasSelection
      ? { kind: 'selection' }
      : scope.startsWith('shape:') && frames.some((f) => f.id === scope)
        ? { kind: 'frame', frameId: scope as TLShapeId }
        : { kind: 'page' }

  async function exportImage(format: ImageFormat) {
    setState('busy')
    try {
      const blob = await boardImage(editor, chosen, format)
      if (!blob) return setState('empty')
      const frame = chosen.kind === 'frame' ? frames.find((f) => f.id === chosen.frameId) : undefined
      const suffix = [fileSuffix, frame ? frame.name || 'cornice' : null].filter(Boolean).join('-')
      downloadBlob(blob, exportFileName(fileBase, suffix, format))
      setState('idle')
    } catch (error) {
      console.warn('[tavolo] export failed', error)
      setState('failed')
    }
  }

  async function exportJson() {
    if (!onJson) return
    setState('busy')
    setState((await onJson()) ? 'idle' : 'failed')
  }

  return (
    <div className="tavolo-export" data-testid="export-controls">
      <label htmlFor={`${id}-scope`} className="tavolo-versions-label">
        {t('versions.export.what')}
      </label>
      <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value)} data-testid="export-scope">
        <option value="page">{t('versions.export.scopeBoard')}</option>
        {frames.map((f) => (
          <option key={f.id} value={f.id}>
            {t('versions.export.scopeFrame', { name: f.name || t('versions.export.frameUntitled') })}
          </option>
        ))}
        {hasSelection && <option value="selection">{t('versions.export.scopeSelection')}</option>}
      </select>
      <div className="tavolo-export-buttons">
        <button type="button" className="tavolo-lead-button" disabled={state === 'busy'} onClick={() => void exportImage('png')} data-testid="export-png">
          {t('versions.export.png')}
        </button>
        <button type="button" className="tavolo-lead-button" disabled={state === 'busy'} onClick={() => void exportImage('svg')} data-testid="export-svg">
          {t('versions.export.svg')}
        </button>
        {onJson && (
          <button type="button" className="tavolo-lead-button" disabled={state === 'busy'} onClick={() => void exportJson()} data-testid="export-json">
            {t('versions.export.json')}
          </button>
        )}
      </div>
      {state === 'busy' && <p className="tavolo-lead-note" role="status">{t('versions.export.busy')}</p>}
      {state === 'empty' && <p className="tavolo-lead-note" role="status">{t('versions.export.empty')}</p>}
      {state === 'failed' && <p className="tavolo-error" role="alert">{t('versions.export.failed')}</p>}
    </div>
  )
}
