// First: zod must not probe eval under the page's CSP (see the module).
import './config/noEval.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './app/app.css'
import { App } from './app/App.tsx'
import { registerServiceWorker } from './app/serviceWorker.ts'

const root = document.getElementById('root')
if (!root) throw new Error('Tavolo: #root element missing from index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
registerServiceWorker()
