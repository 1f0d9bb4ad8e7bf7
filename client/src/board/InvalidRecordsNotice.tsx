import { useValue } from 'tldraw'
import { useT } from '../i18n/useT.ts'
import { useBoardSessionContext } from './BoardSessionContext.tsx'

/**
 * Quiet chips when items from the network were skipped as invalid (their ids are in the console), or when the board's
 * schema did not describe its records and they were read as they are (board SPEC B8).
 */
export function InvalidRecordsNotice() {
  const t = useT()
  const session = useBoardSessionContext()
  const count = useValue('invalid records', () => session.$invalidRecords.get(), [session])
  const mismatches = useValue('schema mismatches', () => session.$schemaMismatches.get(), [session])
  if (count === 0 && mismatches === 0) return null
  return (
    <>
      {count > 0 && (
        <div className="tavolo-chip tavolo-chip-warning" role="status" data-testid="invalid-records">
          {t('board.invalidRecords', { count })}
        </div>
      )}
      {mismatches > 0 && (
        <div className="tavolo-chip tavolo-chip-warning" role="status" data-testid="schema-mismatch">
          {t('board.schemaMismatch')}
        </div>
      )}
    </>
  )
}
