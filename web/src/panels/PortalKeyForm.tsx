import { useState, type FormEvent } from 'react';
import type { Customer } from '../../../src/shared/contract/customers.js';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import type { Resource } from '../api/useResource.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';
import { useAction } from '../api/useAction.js';

/**
 * A partner creates a key for one of its own active customers (POST /api/portal/keys). The server picks the
 * partner's channel, and refuses without an agreement in force or past the agreement's monthly quota; its
 * message is shown as it is. The secret is shown once.
 */
export function PortalKeyForm({ customers, onCreated }: { customers: Resource<{ data: Customer[] }>; onCreated: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [customerId, setCustomerId] = useState('');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const active = (customers.data?.data ?? []).filter((c) => c.status === 'active');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSecret(null);
    await run(async () => {
      const answer = await client.call(portalRoutes.createKey, { body: { customerId, ...(name.trim() ? { name: name.trim() } : {}) } });
      setSecret(answer.key);
      onCreated();
    });
  }

  if (customers.status === 'ready' && active.length === 0) return <p className="muted">{t('portal.noCustomers')}</p>;
  return (
    <>
      <form className="form-row wrap" onSubmit={submit} data-testid="portal-key-form">
        <Field label={t('portal.keyCustomer')}>
          <select value={customerId} onChange={(e) => setCustomerId(e.target.value)} required data-testid="portal-key-customer">
            <option value="">—</option>
            {active.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name || c.id}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('portal.keyName')}>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={120} data-testid="portal-key-name" />
        </Field>
        <button type="submit" className="primary" disabled={busy} data-testid="portal-key-create">
          {busy ? t('common.working') : t('keys.create')}
        </button>
      </form>
      <ErrorMessage message={error} />
      {secret ? (
        <div className="secret" data-testid="portal-key-secret">
          <p>{t('keys.secretOnce')}</p>
          <code>{secret}</code>
        </div>
      ) : null}
    </>
  );
}
