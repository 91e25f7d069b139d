import { useState } from 'react';
import { statementRoutes } from '../../../src/shared/contract/partners.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';
import { useAction } from '../api/useAction.js';

/** The previous calendar month, `YYYY-MM` (UTC): the usual month to settle. */
function previousMonth(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}

/** Computes (or recomputes) the draft statements of a month for every partner (POST /api/statements). */
export function StatementActions({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [month, setMonth] = useState(previousMonth);
  const { busy, error, run } = useAction();

  const generate = () =>
    run(async () => {
      await client.call(statementRoutes.generate, { body: { month } });
      onDone();
    });

  return (
    <>
      <div className="form-row">
        <Field label={t('statements.month')}>
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} data-testid="statements-month" />
        </Field>
        <button type="button" className="primary" disabled={busy} onClick={() => void generate()} data-testid="statements-generate">
          {busy ? t('common.working') : t('statements.generate')}
        </button>
      </div>
      <ErrorMessage message={error} />
    </>
  );
}
