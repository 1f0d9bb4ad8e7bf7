import { useEffect, useState } from 'react'
import { PreferencesProvider, usePreferences } from '../identity/PreferencesContext.tsx'
import { browserStorage, createPreferencesStore } from '../identity/localPreferences.ts'
import { MeetingBoardRoute } from '../meeting/MeetingBoardRoute.tsx'
import { MeetingListPage } from '../meeting/MeetingListPage.tsx'
import { VersionsRoute } from '../versions/VersionsRoute.tsx'
import { HomePage } from './HomePage.tsx'
import { MessagePage } from './MessagePage.tsx'
import { useLocationKey } from './navigation.ts'
import { assertNever, parseRoute } from './routes.ts'

/** The app root: preferences (name, colour, language) for the whole app, then the route. */
export function App() {
  const [preferences] = useState(() => createPreferencesStore(browserStorage()))
  return (
    <PreferencesProvider store={preferences}>
      <DocumentLanguage />
      <RouteView />
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
    case 'badBoardId':
      return <MessagePage titleKey="badBoard.title" bodyKey="badBoard.body" />
    case 'notFound':
      return <MessagePage titleKey="notFound.title" bodyKey="notFound.body" />
    default:
      return assertNever(route)
  }
}
