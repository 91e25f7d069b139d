import { useState, type FormEvent } from 'react';
import { partnerRoutes, type Tier } from '../../../src/shared/contract/partners.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** Partner types of the partnership framework (DESIGN.md, channels). */
const partnerTypes = ['reseller', 'referral', 'marketplace', 'oem', 'system_integrator', 'technology'] as const;

/** Creates a partner (POST /api/partners) and reports back so the list reloads. */
export function PartnerForm({ tiers, onCreated }: { tiers: readonly Tier[]; onCreated: () => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [type, setType] = useState<string>(partnerTypes[0]);
  const [region, setRegion] = useState('');
  const [tierId, setTierId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      await client.call(partnerRoutes.create, { body: { name: name.trim(), type, region: region.trim(), ...(tierId ? { tierId } : {}) } });
      setDone(t('partners.created', { name: name.trim() }));
      setName('');
      onCreated();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <form className="form-row wrap" onSubmit={submit} data-testid="partner-form">
      <Field label={t('common.name')}>
        <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="partner-name" />
      </Field>
      <Field label={t('partners.type')}>
        <select value={type} onChange={(e) => setType(e.target.value)}>
          {partnerTypes.map((p) => (
            <option key={p} value={p}>
              {tEnum('channelType', p)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('partners.region')}>
        <input value={region} onChange={(e) => setRegion(e.target.value)} required data-testid="partner-region" />
      </Field>
      <Field label={t('partners.tier')}>
        <select value={tierId} onChange={(e) => setTierId(e.target.value)}>
          <option value="">—</option>
          {tiers.map((tier) => (
            <option key={tier.id} value={tier.id}>
              {tier.name}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="primary" data-testid="partner-create">
        {t('partners.create')}
      </button>
      <ErrorMessage message={error} />
      {done ? <p className="ok">{done}</p> : null}
    </form>
  );
}
