import { createContext, useContext } from 'react'
import type { ServerConfig } from './serverConfig.ts'

export const ServerConfigContext = createContext<ServerConfig | null>(null)

export function useServerConfig(): ServerConfig {
  const config = useContext(ServerConfigContext)
  if (!config) throw new Error('useServerConfig outside <ServerConfigGate>')
  return config
}
