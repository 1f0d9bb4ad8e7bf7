/**
 * The phone-open reference (bench/phoneOpen.ts): plain tldraw with its self-hosted assets and nothing of Tavolo,
 * creating `?notes=N` notes itself when it mounts. Built by the bench in the same run as our client.
 */
import { createRoot } from 'react-dom/client'
import { Tldraw, type Editor } from 'tldraw'
import 'tldraw/tldraw.css'
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { benchNoteShapes } from '../noteShapes.ts'

const assetUrls = getAssetUrlsByImport()
const count = Number(new URLSearchParams(location.search).get('notes') ?? '0')

function onMount(editor: Editor) {
  editor.createShapes(benchNoteShapes(count, 'plain') as unknown as Parameters<Editor['createShapes']>[0])
  Object.assign(window, { __plainEditor: editor })
}

createRoot(document.getElementById('root')!).render(<Tldraw assetUrls={assetUrls} onMount={onMount} />)
