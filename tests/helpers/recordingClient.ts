import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/**
 * A stock y-websocket client whose every received frame (document updates and awareness alike) is kept as UTF-8 text,
 * to search it for what must not be there (ballots, totals, private cards before their reveal).
 */
export function recordingClient(wsUrl: string, boardId: string, key: string) {
  const frames: string[] = []
  class Recording extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols)
      this.on('message', (data: Buffer) => frames.push(Buffer.from(data).toString('utf8')))
    }
  }
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    WebSocketPolyfill: Recording as unknown as typeof globalThis.WebSocket,
    params: { k: key },
    disableBc: true,
  })
  provider.awareness.setLocalStateField('user', { name: 'Osservatrice', color: '#1c7ed6' })
  const synced = new Promise<void>((resolve) => provider.once('sync', () => resolve()))
  return { frames, doc, provider, synced, destroy: () => (provider.destroy(), doc.destroy()) }
}
