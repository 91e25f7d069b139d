import { useState, type FormEvent } from 'react';
import { listFrom } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { savePlaygroundKey } from '../api/playgroundKey.js';
import { idOf, text, type Row } from '../api/records.js';
import { useResource } from '../api/useResource.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { navigate } from '../router/useRoute.js';
import { CustomerPicker } from './CustomerPicker.js';
import { useSession } from '../session/context.js';

/** Finds the one-time secret in the create-key answer. */
function secretOf(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const r = payload as Row;
  for (const k of ['key', 'secret', 'apiKey', 'api_key']) if (typeof r[k] === 'string') return r[k];
  return r.key && typeof r.key === 'object' ? secretOf(r.key) : null;
}

/** A select over a list endpoint when it answers, a free text input when it does not. */
function Picker({ path, value, onChange, testId, required = true }: { path: string; value: string; onChange: (v: string) => void; testId: string; required?: boolean }) {
  const options = useResource<unknown>(path);
  if (options.status !== 'ready') return <input value={value} onChange={(e) => onChange(e.target.value)} required={required} data-testid={testId} />;
  const rows = listFrom<Row>(options.data);
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} required={required} data-testid={testId}>
      <option value="">—</option>
      {rows.map((r, i) => (
        <option key={idOf(r, i)} value={text(r, 'id')}>
          {text(r, 'name', 'id')}
        </option>
      ))}
    </select>
  );
}

/** Creates a customer API key (POST /api/keys, snake_case body as the gateway's admin API takes it) and shows its secret once. */
export function KeyForm({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [customerId, setCustomerId] = useState('');
  const [channelId, setChannelId] = useState('');
  const [planId, setPlanId] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setSecret(null);
    try {
      const answer = await client.post<unknown>(endpoints.keys, { name: name.trim(), customer_id: customerId, channel_id: channelId, ...(planId ? { plan_id: planId } : {}) });
      setSecret(secretOf(answer));
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
          <Picker path={endpoints.channels} value={channelId} onChange={setChannelId} testId="key-channel" />
        </Field>
        <Field label={t('keys.plan')} hint={t('keys.planHint')}>
          <Picker path={endpoints.plans} value={planId} onChange={setPlanId} testId="key-plan" required={false} />
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
