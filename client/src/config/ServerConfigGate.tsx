import { useEffect, useState, type ReactNode } from 'react'
import { MessagePage } from '../app/MessagePage.tsx'
import { takeBootConfig } from '../app/bootRequests.ts'
import { browserStorage } from '../identity/localPreferences.ts'
import { useT } from '../i18n/useT.ts'
import { mustBlockForMissingLicense } from './licensePolicy.ts'
import { loadServerConfig, type ServerConfigResult } from './serverConfig.ts'
import { ServerConfigContext } from './ServerConfigContext.tsx'

/**
 * Loads `/api/config` before the board: hands the tldraw license key down, and refuses to render the editor on a
 * production origin without a key (tldraw would remove it after ~5 s), explaining what the operator must do.
 */
export function ServerConfigGate({ children }: { children: ReactNode }) {
  const t = useT()
  const [result, setResult] = useState<ServerConfigResult | null>(null)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    const controller = new AbortController()
    // The answer the boot asked for (S8) is taken once; a retry asks again.
    const answer = takeBootConfig() ?? loadServerConfig(browserStorage(), controller.signal)
    answer.then(
      (value) => {
        if (!controller.signal.aborted) setResult(value)
      },
      () => {
        // aborted on unmount
      },
    )
    return () => controller.abort()
  }, [attempt])

  if (!result) {
    return (
      <main className="tavolo-page" aria-busy="true">
        <p className="tavolo-loading">{t('app.loading')}</p>
      </main>
    )
  }
  if (!result.ok) {
    return (
      <MessagePage titleKey="config.error.title" bodyKey="config.error.body">
        <p>
          <button
            className="tavolo-button"
            onClick={() => {
              setResult(null)
              setAttempt((a) => a + 1)
            }}
          >
            {t('config.retry')}
          </button>
        </p>
      </MessagePage>
    )
  }
  if (mustBlockForMissingLicense(window.location, result.config.tldrawLicenseKey)) {
    return (
      <MessagePage titleKey="license.title" bodyKey="license.body" showBack={false}>
        <p data-testid="license-operator">{t('license.operator')}</p>
        <p>{t('license.participant')}</p>
      </MessagePage>
    )
  }
  return <ServerConfigContext.Provider value={result.config}>{children}</ServerConfigContext.Provider>
}
