/** The app itself (React, tldraw, every page), loaded by main.tsx once the boot requests are on their way. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import 'tldraw/tldraw.css'
import './app.css'
import { App } from './App.tsx'
import { registerServiceWorker } from './serviceWorker.ts'

const root = document.getElementById('root')
if (!root) throw new Error('Tavolo: #root element missing from index.html')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
registerServiceWorker()
