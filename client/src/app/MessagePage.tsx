import type { ReactNode } from 'react'
import type { MessageKey } from '../i18n/it.ts'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher.tsx'
import { useT } from '../i18n/useT.ts'
import { AppLink } from './AppLink.tsx'

/** A full page with a title, plain words and a way back home. Used for every "this did not work" case. */
export function MessagePage({
  titleKey,
  bodyKey,
  children,
  showBack = true,
}: {
  titleKey: MessageKey
  bodyKey?: MessageKey
  children?: ReactNode
  showBack?: boolean
}) {
  const t = useT()
  return (
    <main className="tavolo-page" data-testid="message-page">
      <div className="tavolo-card">
        <h1>{t(titleKey)}</h1>
        {bodyKey && <p>{t(bodyKey)}</p>}
        {children}
        {showBack && (
          <p>
            <AppLink className="tavolo-button" to="/">
              {t('nav.backHome')}
            </AppLink>
          </p>
        )}
        <LanguageSwitcher />
      </div>
    </main>
  )
}
