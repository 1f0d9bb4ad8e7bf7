import type { Editor, TLShape } from 'tldraw'
import { IMAGE_MAX_BYTES, IMAGES_MAX_COUNT, IMAGES_MAX_TOTAL_BYTES, type VersionImage } from '../../../shared/src/versions/versionSchemas.ts'
import { mapFrameMeta } from '../../../shared/src/maps/meaning.ts'
import { frameSvg } from './boardExport.ts'
import { putVersionImages } from './versionsApi.ts'

/** A frame that is one of Tavolo's maps (the maps feature's own marker, `meta.tavoloMap.template`), on any page. */
export function isMapFrame(shape: TLShape): boolean {
  return mapFrameMeta(shape) !== null
}

/**
 * After a version is saved, this browser draws every map frame as SVG (tldraw's export, fonts inlined) and stores
 * the images with the version, for the meeting report. Best effort: the version is saved whatever happens here, and
 * the caller reports a failure quietly. Images over the server's limits are left out rather than failing them all.
 * Returns how many were uploaded (0 when there is no map), or null when the upload failed.
 */
export async function uploadMapFrameImages(editor: Editor, boardId: string, key: string, versionNumber: number): Promise<number | null> {
  const frames = [...editor.store.allRecords()].filter((r): r is TLShape => r.typeName === 'shape' && isMapFrame(r as TLShape))
  if (frames.length === 0) return 0
  const images: VersionImage[] = []
  let total = 0
  for (const frame of frames.slice(0, IMAGES_MAX_COUNT)) {
    let svg: string | null
    try {
      svg = await frameSvg(editor, frame.id)
    } catch {
      svg = null
    }
    if (!svg || svg.length > IMAGE_MAX_BYTES || total + svg.length > IMAGES_MAX_TOTAL_BYTES) continue
    total += svg.length
    images.push({ frameId: frame.id, svg })
  }
  if (images.length === 0) return null
  const result = await putVersionImages(boardId, key, versionNumber, images)
  return result.ok ? images.length : null
}
