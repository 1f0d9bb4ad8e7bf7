import type { AnchorHTMLAttributes } from 'react'
import { navigate } from './navigation.ts'

type AppLinkProps = { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>

/**
 * A link to another page of this app: a plain click changes the page in place, while Ctrl/Cmd/Shift/middle clicks
 * keep what the browser does with any link (new tab, new window).
 */
export function AppLink({ to, onClick, ...props }: AppLinkProps) {
  return (
    <a
      {...props}
      href={to}
      onClick={(e) => {
        onClick?.(e)
        if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
        e.preventDefault()
        navigate(to)
      }}
    />
  )
}
