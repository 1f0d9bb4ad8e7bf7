import { useEffect, useState, type ComponentType } from 'react'
import {
  ArrowShapeUtil,
  DrawShapeUtil,
  GeoShapeUtil,
  defaultShapeUtils,
  useEditor,
  useValue,
  type TLShapeUtilCanvasSvgDef,
} from 'tldraw'

/**
 * tldraw's canvas defines its hatched "pattern" fill at mount: it paints the pattern at every zoom level (up to
 * 2,048 px squares at a phone's pixel ratio, for both themes) in an effect right after the editor mounts, whether or
 * not any shape uses it. On a throttled phone that was the largest single item between the board's data arriving and
 * its cards being shown (bench/README, "Phone open"). Workshop boards are notes and text; the pattern is made the
 * first time a shape on the page is hatched, or someone picks the hatch for their next shape, and then kept.
 */
function usesPattern(fill: unknown): boolean {
  return fill === 'pattern'
}

function PatternWatch({ onUsed }: { onUsed: () => void }) {
  const editor = useEditor()
  const used = useValue(
    'pattern fill in use',
    () =>
      usesPattern(editor.getInstanceState().stylesForNextShape['tldraw:fill']) ||
      editor.getCurrentPageShapes().some((shape) => usesPattern((shape.props as { fill?: unknown }).fill)),
    [editor],
  )
  useEffect(() => {
    if (used) onUsed()
  }, [used, onUsed])
  return null
}

function lazyDef(def: TLShapeUtilCanvasSvgDef): TLShapeUtilCanvasSvgDef {
  const Pattern: ComponentType = def.component
  function PatternWhenUsed() {
    // a latch: once made, the pattern stays (unmounting it would make tldraw paint it again next time)
    const [used, setUsed] = useState(false)
    const [markUsed] = useState(() => () => setUsed(true))
    return used ? <Pattern /> : <PatternWatch onUsed={markUsed} />
  }
  return { key: def.key, component: PatternWhenUsed }
}

// tldraw keeps one def per key across shape utils: each of the three returns the same one
const lazyDefs = new Map<string, TLShapeUtilCanvasSvgDef>()
function lazyPatternDefs(defs: TLShapeUtilCanvasSvgDef[]): TLShapeUtilCanvasSvgDef[] {
  return defs.map((def) => {
    if (!def.key.endsWith(':pattern')) return def
    let lazy = lazyDefs.get(def.key)
    if (lazy === undefined) lazyDefs.set(def.key, (lazy = lazyDef(def)))
    return lazy
  })
}

class BoardGeoShapeUtil extends GeoShapeUtil {
  override getCanvasSvgDefs() {
    return lazyPatternDefs(super.getCanvasSvgDefs())
  }
}
class BoardDrawShapeUtil extends DrawShapeUtil {
  override getCanvasSvgDefs() {
    return lazyPatternDefs(super.getCanvasSvgDefs())
  }
}
class BoardArrowShapeUtil extends ArrowShapeUtil {
  override getCanvasSvgDefs() {
    return lazyPatternDefs(super.getCanvasSvgDefs())
  }
}

const REPLACED = new Map<string, (typeof defaultShapeUtils)[number]>([
  [GeoShapeUtil.type, BoardGeoShapeUtil],
  [DrawShapeUtil.type, BoardDrawShapeUtil],
  [ArrowShapeUtil.type, BoardArrowShapeUtil],
])

/** tldraw's default shape utilities, the three that draw the hatch making it only when it is used. */
export const shapeUtilsWithLazyPattern = defaultShapeUtils.map((util) => REPLACED.get(util.type) ?? util)
