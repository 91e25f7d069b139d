import { useState, type FormEvent } from 'react';
import { guardrailActions, guardrailKinds, guardrailRoutes, guardrailStages, type CreateGuardrailInput, type Guardrail } from '../../../src/shared/contract/guardrails.js';
import { useRoute } from '../api/useResource.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n, type I18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

type Stage = Guardrail['stage'];
type Kind = Guardrail['kind'];
type Action = Guardrail['action'];

/** A guardrail's own setting in one line: its terms or patterns, its size limit, or its classifier. */
function settingOf(g: Guardrail, { t, formatNumber }: I18n): string {
  if (g.terms) return g.terms.join(', ');
  if (g.patterns) return g.patterns.join('  ');
  if (g.classifier) return t('guardrails.classifierSetting', { label: g.classifier.label, threshold: formatNumber(g.classifier.threshold, 2), version: g.classifier.modelVersionId });
  return [g.maxChars === null ? null : t('guardrails.chars', { n: formatNumber(g.maxChars) }), g.maxTokens === null ? null : t('guardrails.tokens', { n: formatNumber(g.maxTokens) })].filter(Boolean).join(', ');
}

/** The create body's setting from the form's text, by kind (the server checks it and names what is wrong). */
function settingInput(kind: Kind, text: string): Partial<CreateGuardrailInput> {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (kind === 'blocklist') return { terms: lines };
  if (kind === 'regex') return { patterns: lines };
  if (kind === 'max_prompt') return { maxChars: Number(text.trim()) };
  const [modelVersionId = '', label = '', threshold = ''] = text.trim().split(/[\s,]+/);
  return { classifier: { modelVersionId, label, threshold: Number(threshold) } };
}

/** Adds a guardrail to a deployment (POST /api/deployments/:id/guardrails). */
function GuardrailForm({ deploymentId, onChanged }: { deploymentId: string; onChanged: () => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const [name, setName] = useState('');
  const [stage, setStage] = useState<Stage>('input');
  const [kind, setKind] = useState<Kind>('blocklist');
  const [action, setAction] = useState<Action>('refuse');
  const [setting, setSetting] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      await client.call(guardrailRoutes.createGuardrail, { params: { id: deploymentId }, body: { name: name.trim(), stage, kind, action, ...settingInput(kind, setting) } });
      setName('');
      setSetting('');
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <>
      <form className="form-row wrap" onSubmit={submit} data-testid="guardrail-form">
        <Field label={t('common.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="guardrail-name" />
        </Field>
        <Field label={t('guardrails.stage')}>
          <select value={stage} onChange={(e) => setStage(e.target.value as Stage)} data-testid="guardrail-stage">
            {guardrailStages.map((s) => <option key={s} value={s}>{tEnum('guardrailStage', s)}</option>)}
          </select>
        </Field>
        <Field label={t('guardrails.kind')}>
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="guardrail-kind">
            {guardrailKinds.map((k) => <option key={k} value={k}>{tEnum('guardrailKind', k)}</option>)}
          </select>
        </Field>
        <Field label={t('guardrails.action')}>
          <select value={action} onChange={(e) => setAction(e.target.value as Action)} data-testid="guardrail-action">
            {guardrailActions.map((a) => <option key={a} value={a}>{tEnum('guardrailAction', a)}</option>)}
          </select>
        </Field>
        <Field label={t('guardrails.setting')} hint={t('guardrails.setting.hint')}>
          <textarea value={setting} onChange={(e) => setSetting(e.target.value)} rows={2} required data-testid="guardrail-setting" />
        </Field>
        <button type="submit" className="primary" data-testid="guardrail-add">{t('guardrails.add')}</button>
      </form>
      <ErrorMessage message={error} />
    </>
  );
}

/**
 * A deployment's guardrails (what they check, what they do, on or off) with their counts of refusals,
 * redactions and flags from the ledger; add, turn on or off, change the action, remove.
 */
export function GuardrailsPanel({ deployments }: { deployments: readonly { id: string; name: string }[] }) {
  const i18n = useI18n();
  const { t, tEnum, formatNumber } = i18n;
  const { client } = useSession();
  const [picked, setPicked] = useState<string>('');
  const deploymentId = picked || deployments[0]?.id || '';
  const input = deploymentId ? { params: { id: deploymentId } } : null;
  const list = useRoute(guardrailRoutes.listGuardrails, input, 15_000);
  const stats = useRoute(guardrailRoutes.guardrailStats, input, 15_000);
  const [error, setError] = useState<string | null>(null);
  const counts = new Map((stats.status === 'ready' ? stats.data.data : []).map((s) => [s.guardrailId, s]));
  const reload = () => {
    list.reload();
    stats.reload();
  };
  const change = (g: Guardrail, body: { enabled?: boolean; action?: Action } | null) => {
    setError(null);
    const done = body === null ? client.call(guardrailRoutes.deleteGuardrail, { params: { id: g.deploymentId, guardrailId: g.id } }) : client.call(guardrailRoutes.updateGuardrail, { params: { id: g.deploymentId, guardrailId: g.id }, body });
    done.then(reload, (err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  };
  if (!deploymentId) return <p className="muted">{t('common.empty')}</p>;

  return (
    <>
      <Field label={t('guardrails.deployment')}>
        <select value={deploymentId} onChange={(e) => setPicked(e.target.value)} data-testid="guardrail-deployment">
          {deployments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
      </Field>
      <ErrorMessage message={error} />
      <ResourceView resource={list} path={guardrailRoutes.listGuardrails.url}>
        {(data) =>
          data.data.length === 0 ? (
            <p className="muted" data-testid="guardrails-none">{t('guardrails.none')}</p>
          ) : (
            <DataTable
              testId="guardrails-table"
              rows={data.data}
              rowKey={(g) => g.id}
              columns={[
                { header: t('common.name'), cell: (g) => g.name },
                { header: t('guardrails.stage'), cell: (g) => tEnum('guardrailStage', g.stage) },
                { header: t('guardrails.kind'), cell: (g) => tEnum('guardrailKind', g.kind) },
                {
                  header: t('guardrails.action'),
                  cell: (g) => (
                    <select value={g.action} onChange={(e) => change(g, { action: e.target.value as Action })} data-testid="guardrail-row-action">
                      {guardrailActions.map((a) => <option key={a} value={a}>{tEnum('guardrailAction', a)}</option>)}
                    </select>
                  ),
                },
                { header: t('guardrails.setting'), cell: (g) => <span className="cell-wrap">{settingOf(g, i18n)}</span> },
                { header: t('guardrails.enabled'), cell: (g) => (g.enabled ? '✓' : t('guardrails.off')) },
                { header: t('guardrails.refusals'), cell: (g) => formatNumber(counts.get(g.id)?.refusals ?? 0), numeric: true },
                { header: t('guardrails.redactions'), cell: (g) => formatNumber(counts.get(g.id)?.redactions ?? 0), numeric: true },
                { header: t('guardrails.flags'), cell: (g) => formatNumber(counts.get(g.id)?.flags ?? 0), numeric: true },
                {
                  header: t('models.actions'),
                  cell: (g) => (
                    <>
                      <button type="button" onClick={() => change(g, { enabled: !g.enabled })} data-testid="guardrail-toggle">{g.enabled ? t('guardrails.disable') : t('guardrails.enable')}</button>{' '}
                      <button type="button" onClick={() => change(g, null)} data-testid="guardrail-remove">{t('guardrails.remove')}</button>
                    </>
                  ),
                },
              ]}
            />
          )
        }
      </ResourceView>
      <GuardrailForm deploymentId={deploymentId} onChanged={reload} />
    </>
  );
}
