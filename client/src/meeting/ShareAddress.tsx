import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react'
import {
  chooseParticipantAddress,
  shareableLink,
  type ParticipantAddress,
} from '../../../shared/src/network/participantAddress.ts'
import { useServerConfig } from '../config/ServerConfigContext.tsx'
import { browserStorage } from '../identity/localPreferences.ts'

/** The base every link handed to another device is built on (share panel, QR, the projector's QR), and the pick. */
export interface ShareAddress {
  address: ParticipantAddress
  /** The facilitator picks another LAN address (remembered on this device). */
  pick(origin: string): void
  /** A link the API returned, as another device must open it. */
  linkFor(link: string): string
}

const PICK_KEY = 'tavolo.participantOrigin'

function readPick(): string | null {
  try {
    return browserStorage()?.getItem(PICK_KEY) ?? null
  } catch {
    return null
  }
}

const ShareAddressContext = createContext<ShareAddress | null>(null)

/** Rules A1–A4 of shared/src/network/participantAddress.ts, over this page's origin and the server's addresses. */
export function ShareAddressProvider({ children }: { children: ReactNode }) {
  const config = useServerConfig()
  const [picked, setPicked] = useState(readPick)
  const address = useMemo(
    () =>
      chooseParticipantAddress({
        publicUrl: config.publicUrl,
        pageOrigin: window.location.origin,
        lanOrigins: config.participantOrigins,
        picked,
      }),
    [config.publicUrl, config.participantOrigins, picked],
  )
  const pick = useCallback((origin: string) => {
    setPicked(origin)
    try {
      browserStorage()?.setItem(PICK_KEY, origin)
    } catch {
      // private mode: the pick lasts as long as the page
    }
  }, [])
  const value = useMemo<ShareAddress>(
    () => ({ address, pick, linkFor: (link) => shareableLink(link, address.base) }),
    [address, pick],
  )
  return <ShareAddressContext.Provider value={value}>{children}</ShareAddressContext.Provider>
}

export function useShareAddress(): ShareAddress {
  const value = useContext(ShareAddressContext)
  if (!value) throw new Error('useShareAddress outside <ShareAddressProvider>')
  return value
}
