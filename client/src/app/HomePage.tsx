import { useId, useState, type FormEvent } from 'react'
import { parseBoardId, type BoardId } from '../../../shared/src/boardId.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useT } from '../i18n/useT.ts'
import { navigate } from './navigation.ts'
import { boardPath } from './routes.ts'

/** A new board id: 16 random characters from the board-id alphabet. */
export function generateBoardId(): BoardId {
  const alphabet = 'abcdefghijkmnopqrstuvwxyz23456789'
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('') as BoardId
}

/** Start page (temporary: the meetings work replaces it with meeting creation). */
export function HomePage() {
  const t = useT()
  const inputId = useId()
  const [value, setValue] = useState('')
  const [error, setError] = useState(false)

  function open(e: FormEvent) {
    e.preventDefault()
    const boardId = parseBoardId(value.trim())
    if (!boardId) {
      setError(true)
      return
    }
    navigate(boardPath(boardId))
  }

  return (
    <main className="tavolo-page">
      <div className="tavolo-card">
        <h1>{t('home.title')}</h1>
        <p>{t('home.intro')}</p>
        <form onSubmit={open} noValidate>
          <label htmlFor={inputId}>{t('home.boardIdLabel')}</label>
          <input
            id={inputId}
            value={value}
            onChange={(e) => {
              setValue(e.target.value)
              setError(false)
            }}
            aria-invalid={error}
            aria-describedby={`${inputId}-hint`}
            autoComplete="off"
          />
          <p id={`${inputId}-hint`} className={error ? 'tavolo-error' : 'tavolo-hint'} role={error ? 'alert' : undefined}>
            {error ? t('home.boardIdInvalid') : t('home.boardIdHint')}
          </p>
          <div className="tavolo-actions">
            <button type="submit" className="tavolo-button">
              {t('home.open')}
            </button>
            <button
              type="button"
              className="tavolo-button tavolo-button-secondary"
              onClick={() => navigate(boardPath(generateBoardId()))}
            >
              {t('home.new')}
            </button>
          </div>
        </form>
        <LanguageSwitcher />
      </div>
    </main>
  )
}
