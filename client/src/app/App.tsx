import { lazy, Suspense, useEffect, useState } from 'react'
import { PreferencesProvider, usePreferences } from '../identity/PreferencesContext.tsx'
import { browserStorage, createPreferencesStore } from '../identity/localPreferences.ts'
import { MeetingBoardRoute } from '../meeting/MeetingBoardRoute.tsx'
import { useT } from '../i18n/useT.ts'
import { MessagePage } from './MessagePage.tsx'
import { useLocationKey } from './navigation.ts'
import { assertNever, parseRoute } from './routes.ts'

// Pages a participant's phone does not open: their code loads when they are visited (issue 13 part 3).
const HomePage = lazy(() => import('./HomePage.tsx').then((m) => ({ default: m.HomePage })))
const MeetingListPage = lazy(() => import('../meeting/MeetingListPage.tsx').then((m) => ({ default: m.MeetingListPage })))
const ProcessPage = lazy(() => import('../process/ProcessPage.tsx').then((m) => ({ default: m.ProcessPage })))
const VersionsRoute = lazy(() => import('../versions/VersionsRoute.tsx').then((m) => ({ default: m.VersionsRoute })))

/** The app root: preferences (name, colour, language) for the whole app, then the route. */
export function App() {
  const [preferences] = useState(() => createPreferencesStore(browserStorage()))
  return (
    <PreferencesProvider store={preferences}>
      <DocumentLanguage />
      <Suspense fallback={<PageLoading />}>
        <RouteView />
      </Suspense>
    </PreferencesProvider>
  )
}

function DocumentLanguage() {
  const { locale } = usePreferences()
  useEffect(() => {
    document.documentElement.lang = locale
  }, [locale])
  return null
}

function PageLoading() {
  const t = useT()
  return (
    <main className="tavolo-page" aria-busy="true">
      <p className="tavolo-loading">{t('app.loading')}</p>
    </main>
  )
}

function RouteView() {
  const { pathname, hash } = useLocationKey()
  const route = parseRoute(pathname, hash)
  switch (route.kind) {
    case 'home':
      return <HomePage />
    case 'meetings':
      return <MeetingListPage />
    case 'board':
      return <MeetingBoardRoute key={`${route.boardId}#${route.key ?? ''}`} boardId={route.boardId} accessKey={route.key} projector={false} />
    case 'projector':
      return (
        <MeetingBoardRoute key={`projector:${route.boardId}#${route.key ?? ''}`} boardId={route.boardId} accessKey={route.key} projector />
      )
    case 'versions':
      return <VersionsRoute key={`versions:${route.boardId}#${route.key ?? ''}`} boardId={route.boardId} accessKey={route.key} view={route.view} />
    case 'process':
      return <ProcessPage key={`process:${route.processId}#${route.key ?? ''}`} processId={route.processId} accessKey={route.key} />
    case 'badBoardId':
      return <MessagePage titleKey="badBoard.title" bodyKey="badBoard.body" />
    case 'notFound':
      return <MessagePage titleKey="notFound.title" bodyKey="notFound.body" />
    default:
      return assertNever(route)
  }
}
