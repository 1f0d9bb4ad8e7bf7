import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'

const root = document.getElementById('root')
if (!root) throw new Error('Tavolo: #root element missing from index.html')
createRoot(root).render(
  <StrictMode>
    <p>Tavolo</p>
  </StrictMode>,
)
