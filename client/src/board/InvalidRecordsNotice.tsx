import { useValue } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'

/** A quiet chip when items from the network were skipped as invalid (their ids are in the console). */
export function InvalidRecordsNotice() {
  const t = useT()
  const session = useBoardSessionContext()
  const count = useValue('invalid records', () => session.$invalidRecords.get(), [session])
  if (count === 0) return null
  return (
    <div className="tavolo-chip tavolo-chip-warning" role="status" data-testid="invalid-records">
      {t('board.invalidRecords', { count })}
    </div>
  )
}
