import { useEffect, useState } from 'react';
import { billingRoutes, creditKinds, type creditBalanceSchema } from '../../../../src/shared/contract/billing.js';
import type { z } from 'zod';
import { useRoute } from '../../api/useResource.js';
import { DataTable } from '../../components/DataTable.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { ResourceView } from '../../components/ResourceView.js';
import { useI18n } from '../../i18n/context.js';
import { decimalToMicros, microsToDecimal } from '../../money.js';
import { useSession } from '../../session/context.js';
import { useMayCall } from '../../session/mayCall.js';
import { useAction } from '../../api/useAction.js';

/** A customer's prepaid credit as `/api/customers/:id/credits` answers it. */
type CreditBalance = z.infer<typeof creditBalanceSchema>;
type CreditKind = (typeof creditKinds)[number];

/**
 * A customer's prepaid credit: billing mode, balance (with the low-balance badge when it is at or under
 * the threshold), what was credited and what usage took, the credit ledger, a top-up form and the billing
 * mode form. Write forms are disabled for a role that may not use them.
 */
export function CreditPanel({ customerId }: { customerId: string }) {
  const credits = useRoute(billingRoutes.credits, { params: { id: customerId } });
  // An answer of a write (top-up, mode) replaces the loaded balance until the next load.
  const [written, setWritten] = useState<CreditBalance | null>(null);
  useEffect(() => setWritten(null), [customerId, credits.data]);
  return (
    <ResourceView resource={credits} path={billingRoutes.credits.url}>
      {(loaded) => {
        const balance = written && written.customerId === customerId ? written : loaded;
        return (
          <div data-testid="credit-panel">
            <CreditSummary balance={balance} />
            <TopUpForm customerId={customerId} onDone={setWritten} />
            <BillingModeForm key={balance.customerId} balance={balance} onDone={setWritten} />
            <CreditEntries balance={balance} />
          </div>
        );
      }}
    </ResourceView>
  );
}

function CreditSummary({ balance }: { balance: CreditBalance }) {
  const { t, tEnum, formatMoney } = useI18n();
  return (
    <dl className="kv">
      <div>
        <dt>{t('billing.mode')}</dt>
        <dd data-testid="credit-mode">{tEnum('billingMode', balance.billingMode)}</dd>
      </div>
      <div>
        <dt>{t('billing.balance')}</dt>
        <dd>
          <span data-testid="credit-balance">{formatMoney(balance.balanceMicros)}</span>{' '}
          {balance.low ? (
            <span className="badge low-balance" data-testid="credit-low">
              {t('billing.lowBalance')}
            </span>
          ) : null}
        </dd>
      </div>
      <div>
        <dt>{t('billing.credited')}</dt>
        <dd data-testid="credit-credited">{formatMoney(balance.creditedMicros)}</dd>
      </div>
      <div>
        <dt>{t('billing.usedCredit')}</dt>
        <dd data-testid="credit-used">{formatMoney(balance.usedMicros)}</dd>
      </div>
      <div>
        <dt>{t('billing.lowThreshold')}</dt>
        <dd data-testid="credit-threshold">{balance.lowBalanceMicros === null ? '—' : formatMoney(balance.lowBalanceMicros)}</dd>
      </div>
    </dl>
  );
}

/** Top up, grant or correct credit (POST /api/customers/:id/credits); the amount is typed in currency units. */
function TopUpForm({ customerId, onDone }: { customerId: string; onDone: (balance: CreditBalance) => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const may = useMayCall(billingRoutes.addCredit);
  const [kind, setKind] = useState<CreditKind>('topup');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const { busy, error, setError, run } = useAction();

  async function submit() {
    const amountMicros = decimalToMicros(amount);
    if (amountMicros === null || amountMicros === 0 || (kind !== 'correction' && amountMicros < 0)) {
      setError(t('billing.amountInvalid'));
      return;
    }
    await run(async () => {
      onDone(await client.call(billingRoutes.addCredit, { params: { id: customerId }, body: { kind, amountMicros, ...(note.trim() ? { note: note.trim() } : {}) } }));
      setAmount('');
      setNote('');
    });
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="form-row">
        <Field label={t('billing.creditKind')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as CreditKind)} data-testid="credit-kind">
            {creditKinds.map((k) => (
              <option key={k} value={k}>
                {tEnum('creditKind', k)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('billing.amount')} hint={t('billing.amountHint')}>
          <input inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} required data-testid="credit-amount" />
        </Field>
        <Field label={t('billing.note')}>
          <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} data-testid="credit-note" />
        </Field>
        <button type="submit" className="primary" disabled={busy || !may} data-testid="credit-submit">
          {busy ? t('common.working') : t('billing.addCredit')}
        </button>
      </div>
      <ErrorMessage message={error} />
    </form>
  );
}

/** Prepaid or postpaid, and the low-balance threshold (PUT /api/customers/:id/billing). */
function BillingModeForm({ balance, onDone }: { balance: CreditBalance; onDone: (balance: CreditBalance) => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const may = useMayCall(billingRoutes.setBillingMode);
  const [mode, setMode] = useState(balance.billingMode);
  const [threshold, setThreshold] = useState(balance.lowBalanceMicros === null ? '' : microsToDecimal(balance.lowBalanceMicros));
  const { busy, error, setError, run } = useAction();

  async function submit() {
    const lowBalanceMicros = threshold.trim() === '' ? null : decimalToMicros(threshold);
    if (lowBalanceMicros !== null && lowBalanceMicros < 0) return setError(t('billing.amountInvalid'));
    if (threshold.trim() !== '' && lowBalanceMicros === null) return setError(t('billing.amountInvalid'));
    await run(async () => {
      onDone(await client.call(billingRoutes.setBillingMode, { params: { id: balance.customerId }, body: { billingMode: mode, lowBalanceMicros } }));
    });
  }

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="form-row">
        <Field label={t('billing.mode')}>
          <select value={mode} onChange={(e) => setMode(e.target.value as CreditBalance['billingMode'])} data-testid="billing-mode">
            {(['postpaid', 'prepaid'] as const).map((m) => (
              <option key={m} value={m}>
                {tEnum('billingMode', m)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('billing.lowThreshold')} hint={t('billing.lowThresholdHint')}>
          <input inputMode="decimal" value={threshold} onChange={(e) => setThreshold(e.target.value)} data-testid="billing-threshold" />
        </Field>
        <button type="submit" disabled={busy || !may} data-testid="billing-mode-save">
          {t('billing.saveMode')}
        </button>
      </div>
      <ErrorMessage message={error} />
    </form>
  );
}

function CreditEntries({ balance }: { balance: CreditBalance }) {
  const { t, tEnum, formatMoney } = useI18n();
  return (
    <DataTable
      testId="credit-entries"
      rows={[...balance.entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
      rowKey={(e) => e.id}
      pageSize={10}
      columns={[
        { header: t('billing.when'), cell: (e) => e.createdAt.slice(0, 16).replace('T', ' ') },
        { header: t('billing.creditKind'), cell: (e) => tEnum('creditKind', e.kind) },
        { header: t('billing.amount'), cell: (e) => formatMoney(e.amountMicros), numeric: true },
        { header: t('billing.note'), cell: (e) => e.note || '—' },
      ]}
    />
  );
}
