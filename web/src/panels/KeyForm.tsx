import { useState, type FormEvent } from 'react';
import { gatewayAdminRoutes } from '../../../src/shared/contract/gateway.js';
import { channelRoutes } from '../../../src/shared/contract/channels.js';
import { savePlaygroundKey } from '../api/playgroundKey.js';
import { useRoute } from '../api/useResource.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { navigate } from '../router/useRoute.js';
import { CustomerPicker } from './CustomerPicker.js';
import { useSession } from '../session/context.js';

/** A select over a list's `{ id, name }` items once it has answered (`null` until then: a free text input). */
function Picker({ items, value, onChange, testId, required = true }: { items: readonly { id: string; name: string }[] | null; value: string; onChange: (v: string) => void; testId: string; required?: boolean }) {
  if (!items) return <input value={value} onChange={(e) => onChange(e.target.value)} required={required} data-testid={testId} />;
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} required={required} data-testid={testId}>
      <option value="">—</option>
      {items.map((r) => (
        <option key={r.id} value={r.id}>
          {r.name || r.id}
        </option>
      ))}
    </select>
  );
}

/** Creates a customer API key (POST /api/keys) and shows its secret once. */
export function KeyForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [channelId, setChannelId] = useState('');
  const [planId, setPlanId] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const channels = useRoute(channelRoutes.list, {});
  const plans = useRoute(gatewayAdminRoutes.listPlans, {});
  const channelItems = channels.status === 'ready' ? channels.data.data.map((r) => ({ id: r.id, name: r.name || r.id })) : null;
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSecret(null);
    try {
      const created = await client.call(gatewayAdminRoutes.createKey, { body: { name: name.trim(), customerId, channelId, ...(planId ? { planId } : {}) } });
      setSecret(created.key);
      onCreated();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <>
      <form className="form-row wrap" onSubmit={submit} data-testid="key-form">
        <Field label={t('common.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="key-name" />
        </Field>
        <Field label={t('keys.customer')}>
          <CustomerPicker value={customerId} onChange={setCustomerId} testId="key-customer" />
        </Field>
        <Field label={t('keys.channel')}>
          <Picker items={channelItems} value={channelId} onChange={setChannelId} testId="key-channel" />
        </Field>
        <Field label={t('keys.plan')} hint={t('keys.planHint')}>
          <Picker items={plans.status === 'ready' ? plans.data.data : null} value={planId} onChange={setPlanId} testId="key-plan" required={false} />
        </Field>
        <button type="submit" className="primary" data-testid="key-create">
          {t('keys.create')}
        </button>
      </form>
      <ErrorMessage message={error} />
      {secret ? (
        <div className="secret" data-testid="key-secret">
          <p>{t('keys.secretOnce')}</p>
          <code>{secret}</code>
          <button
            type="button"
            onClick={() => {
              savePlaygroundKey(secret);
              navigate('playground');
            }}
            data-testid="key-to-playground"
          >
            {t('keys.usePlayground')}
          </button>
        </div>
      ) : null}
    </>
  );
}
