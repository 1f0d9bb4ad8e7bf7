import { lazy, Suspense, useEffect, useMemo, useState } from 'react'
import {
  DefaultContextMenu,
  DefaultContextMenuContent,
  DefaultMainMenu,
  DefaultMainMenuContent,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  useEditor,
  useValue,
} from 'tldraw'
import type { TLComponents, TLUiContextMenuProps, TLUiMainMenuProps } from 'tldraw'
import type { BoardId } from '../../../shared/src/boardId.ts'
import type { Meeting, MeetingLinks } from '../../../shared/src/meetings/meetingSchemas.ts'
import type { Role } from '../../../shared/src/roles.ts'
import { MessagePage } from '../app/MessagePage.tsx'
import { takeBootMeeting } from '../app/bootRequests.ts'
import { dropEarlyBoard } from '../board/boardConnection.ts'
import { BoardRoute } from '../board/BoardRoute.tsx'
import type { BoardExtras } from '../board/boardExtras.ts'
import { closeMessageKeys } from '../board/TerminalCloseNotice.tsx'
import { browserStorage } from '../identity/localPreferences.ts'
import { useT } from '../i18n/useT.ts'
import { participantLockOverrides, selectionLockState, toggleSelectionLock } from './boardLocks.ts'
import { $deleteMeetingRequested } from './BoardDeleteMeeting.tsx'
import { readCachedMeeting, writeCachedMeeting } from './meetingDetailCache.ts'
import { getMeeting } from './meetingApi.ts'
import { MeetingContext, type MeetingInfo } from './MeetingContext.ts'
import { LandOnContent } from './LandOnContent.tsx'
import { LeadBarPlaceholder } from './leadBarOpen.tsx'
import { ParticipantToolbar } from './ParticipantToolbar.tsx'
import { LockedChangeExplainer } from './LockedChangeExplainer.tsx'
import { MeetingHeader } from './MeetingHeader.tsx'
import { projectorComponents, projectorOverlayUtils } from './projectorCollaborators.tsx'
import { SummonReceiver } from './SummonReceiver.tsx'
import { TouchPan } from './TouchPan.tsx'
import { useDocumentTitle } from './useDocumentTitle.ts'
// Styles every board uses (the share zone's layout, the versions button), though the components that brought them
// (share panel, projector, versions panel) now load on demand: here they keep their place in the page's CSS.
import './workshop.css'
import { MapsInFront } from '../maps/MapsInFront.tsx'
import { BoardTextMenuGroup, MapsMainMenu } from '../maps/MapsMainMenu.tsx'
import { ProjectorMapBadges } from '../maps/MapBadges.tsx'
import { FacilitationProvider } from '../facilitation/FacilitationContext.tsx'
import { FacilitationLayer } from '../facilitation/FacilitationLayer.tsx'
import { VersionsLauncher } from '../versions/VersionsLauncher.tsx'
import '../versions/versions.css'

type Loaded =
  | { status: 'loading' }
  | { status: 'refused'; code: 4401 | 4404 }
  | { status: 'ready'; info: Omit<MeetingInfo, 'setLinks' | 'links' | 'setMeeting'>; links: MeetingLinks | null }

/**
 * Loads what the key may know of the meeting (`GET /api/meetings/:id`), then opens the board with that role.
 *  - 401 (wrong or revoked key): the plain-words refusal, without opening the board.
 *  - 404: the board opens and the sync server decides (a meeting server closes it with 4404 and the board says so;
 *    a server without meetings serves it as an open board).
 *  - No answer (offline): the last details seen for this key, else the board as a participant without header.
 */
function useMeetingDetail(boardId: BoardId, accessKey: string | null, projector: boolean): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    const fallbackRole: Role = projector ? 'viewer' : 'participant'
    const ready = (meeting: MeetingInfo['meeting'], role: Role, links: MeetingLinks | null) =>
      setLoaded({
        status: 'ready',
        info: { boardId, accessKey, role: projector ? 'viewer' : role, meeting },
        links: projector ? null : links,
      })
    if (!accessKey) {
      ready(null, fallbackRole, null)
      return
    }
    // The answer the boot asked for (board SPEC S8) is taken once; a remount asks again.
    const answer = takeBootMeeting(boardId, accessKey) ?? getMeeting(boardId, accessKey, controller.signal)
    answer.then(
      (result) => {
        if (controller.signal.aborted) return
        if (result.ok) {
          const { meeting, role, links } = result.value
          writeCachedMeeting(browserStorage(), boardId, accessKey, meeting, role)
          ready(meeting, role, links ?? null)
        } else if (result.failure.kind === 'api' && result.failure.status === 401) {
          // The board will not open: the socket the boot opened for it goes too.
          dropEarlyBoard()
          setLoaded({ status: 'refused', code: 4401 })
        } else {
          const cached = result.failure.kind === 'network' ? readCachedMeeting(browserStorage(), boardId, accessKey) : null
          ready(cached?.meeting ?? null, cached?.role ?? fallbackRole, null)
        }
      },
      () => {
        // aborted on unmount
      },
    )
    return () => controller.abort()
  }, [boardId, accessKey, projector])
  return loaded
}

/** `/board/<id>#k=…` and `/board/<id>/projector#k=…`: a meeting's board, with the chrome of the person's role. */
export function MeetingBoardRoute({ boardId, accessKey, projector }: { boardId: BoardId; accessKey: string | null; projector: boolean }) {
  const t = useT()
  const loaded = useMeetingDetail(boardId, accessKey, projector)
  // Leaving before the board took the boot's connection (S8) closes it.
  useEffect(() => () => dropEarlyBoard(), [])
  const [rotatedLinks, setLinks] = useState<MeetingLinks | null>(null)
  const [editedMeeting, setMeeting] = useState<Meeting | null>(null)
  const links = rotatedLinks ?? (loaded.status === 'ready' ? loaded.links : null)
  const info: MeetingInfo | null = useMemo(
    () =>
      loaded.status === 'ready'
        ? { ...loaded.info, meeting: editedMeeting ?? loaded.info.meeting, links, setLinks, setMeeting }
        : null,
    [loaded, links, editedMeeting],
  )
  const role = info?.role ?? 'participant'
  const extras = useMemo(() => extrasFor(role, projector, boardId), [role, projector, boardId])
  useDocumentTitle(info?.meeting?.title)

  if (loaded.status === 'loading' || !info) {
    if (loaded.status === 'refused') {
      const keys = closeMessageKeys(loaded.code, { hasKey: accessKey !== null })
      return (
        <MessagePage titleKey={keys.title} bodyKey={keys.body}>
          <p>
            <strong>{t(keys.action)}</strong>
          </p>
        </MessagePage>
      )
    }
    return (
      <main className="tavolo-page" aria-busy="true">
        <p className="tavolo-loading">{t('board.opening')}</p>
      </main>
    )
  }
  return (
    <MeetingContext.Provider value={info}>
      <BoardRoute boardId={boardId} accessKey={accessKey} role={role} extras={extras} />
    </MeetingContext.Provider>
  )
}

function FacilitatorContextMenu(props: TLUiContextMenuProps) {
  const t = useT()
  const editor = useEditor()
  const state = useValue('selection lock', () => selectionLockState(editor), [editor])
  return (
    <DefaultContextMenu {...props}>
      {state !== 'none' && (
        <TldrawUiMenuGroup id="tavolo-lock">
          <TldrawUiMenuItem
            id="tavolo-lock"
            label={state === 'locked' ? t('lead.unlock') : t('lead.lock')}
            icon={state === 'locked' ? 'unlock' : 'lock'}
            onSelect={() => {
              toggleSelectionLock(editor)
            }}
          />
        </TldrawUiMenuGroup>
      )}
      <DefaultContextMenuContent />
    </DefaultContextMenu>
  )
}

/** tldraw's main menu, with "Delete the meeting…" for facilitators (it opens the confirmation, BoardDeleteMeeting). */
function FacilitatorMainMenu(props: TLUiMainMenuProps) {
  const t = useT()
  return (
    <DefaultMainMenu {...props}>
      <BoardTextMenuGroup />
      <DefaultMainMenuContent />
      <TldrawUiMenuGroup id="tavolo-meeting">
        <TldrawUiMenuItem
          id="tavolo-delete-meeting"
          label={t('erase.menuItem')}
          icon="trash"
          onSelect={() => {
            $deleteMeetingRequested.set(true)
          }}
        />
      </TldrawUiMenuGroup>
    </DefaultMainMenu>
  )
}

// What only the facilitator's or the projector's board shows: loaded when that board opens, so a participant's phone
// never downloads it (share panel and QR code, versions, the delete dialog; issue 13 part 3).
const FacilitatorChrome = lazy(() => import('./FacilitatorChrome.tsx').then((m) => ({ default: m.FacilitatorChrome })))
const ProjectorChrome = lazy(() => import('./ProjectorView.tsx').then((m) => ({ default: m.ProjectorChrome })))

const meetingComponents: TLComponents = { TopPanel: MeetingHeader, InFrontOfTheCanvas: MapsInFront, MainMenu: MapsMainMenu }
// A participant's toolbar: "Aggiungi carta" and the tools a participant needs, in a fixed order (issue 19 item 4).
const participantComponents: TLComponents = { ...meetingComponents, Toolbar: ParticipantToolbar }
const facilitatorComponents: TLComponents = {
  TopPanel: MeetingHeader,
  ContextMenu: FacilitatorContextMenu,
  MainMenu: FacilitatorMainMenu,
  InFrontOfTheCanvas: MapsInFront,
}
// The projector: the workshop's cursor rules (projectorCollaborators.tsx) and the maps' badges.
// The projector also shows the timer large and the vote (issue 20).
function ProjectorInFront() {
  return (
    <FacilitationProvider projector>
      <ProjectorMapBadges />
      <FacilitationLayer projector />
    </FacilitationProvider>
  )
}
const projectorBoardComponents: TLComponents = { ...projectorComponents, InFrontOfTheCanvas: ProjectorInFront }
// A facilitator can click a locked shape to select it (and unlock it); tldraw still refuses to move it.
const facilitatorOptions = { selectLockedShapes: true }

function extrasFor(role: Role, projector: boolean, boardId: BoardId): BoardExtras {
  if (projector) {
    return {
      hideUi: true,
      inEditor: (
        <Suspense fallback={null}>
          <ProjectorChrome />
        </Suspense>
      ),
      deviceUserId: `projector-${crypto.randomUUID()}`,
      components: projectorBoardComponents,
      overlayUtils: projectorOverlayUtils,
    }
  }
  switch (role) {
    case 'facilitator':
      return { components: facilitatorComponents, options: facilitatorOptions, inEditor: (
          <Suspense fallback={<LeadBarPlaceholder />}>
            <FacilitatorChrome boardId={boardId} />
          </Suspense>
        ),
      }
    case 'participant':
      return {
        components: participantComponents,
        overrides: participantLockOverrides,
        inEditor: (
          <>
            <SummonReceiver />
            <LandOnContent />
            <LockedChangeExplainer />
            <TouchPan />
            <VersionsLauncher />
          </>
        ),
      }
    case 'viewer':
      return { components: meetingComponents, inEditor: (
        <>
          <LandOnContent />
          <VersionsLauncher />
        </>
      ) }
  }
}
