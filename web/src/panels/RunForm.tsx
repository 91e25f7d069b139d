import { useState, type FormEvent } from 'react';
import { pipelineRoutes, presetNames as knownPresets, type PresetName, type StartRunInput } from '../../../src/shared/contract/pipeline.js';
import { useRoute } from '../api/useResource.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** What the form can start: pretraining from a preset, or fine-tuning a checkpoint as a language model. */
type Kind = 'train' | 'finetune';

/**
 * Starts a pretraining or fine-tuning run on the server (POST /api/runs): the server checks the parameters
 * first (a 400 names the one at fault, shown here) and runs the step in a worker process. Paths are the
 * server's, as the CLI's `--server` sends them.
 */
export function RunForm({ onStarted }: { onStarted: (runId: string) => void }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const presets = useRoute(pipelineRoutes.presets, {});
  // The server's table, or (until it answers) the names the contract knows.
  const presetNames = presets.status === 'ready' ? presets.data.data.map((p) => p.name) : knownPresets;
  const [kind, setKind] = useState<Kind>('train');
  const [dataDir, setDataDir] = useState('');
  const [outDir, setOutDir] = useState('');
  const [preset, setPreset] = useState<PresetName>('tiny');
  const [checkpoint, setCheckpoint] = useState('');
  const [steps, setSteps] = useState(200);
  const [error, setError] = useState<string | null>(null);
  const [started, setStarted] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setStarted(null);
    const common = { dataDir: dataDir.trim(), outDir: outDir.trim(), steps };
    const body: StartRunInput = kind === 'train' ? { kind, params: { ...common, model: { preset } } } : { kind, params: { ...common, checkpoint: checkpoint.trim() } };
    try {
      const run = await client.call(pipelineRoutes.startRun, { body });
      const id = run.id;
      setStarted(id);
      onStarted(id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <form className="form-row wrap" onSubmit={submit} data-testid="run-form">
      <Field label={t('models.runKind')}>
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid="run-kind">
          <option value="train">{tEnum('runKind', 'train')}</option>
          <option value="finetune">{tEnum('runKind', 'finetune')}</option>
        </select>
      </Field>
      <Field label={t('models.dataDir')} hint={t('models.dataDirHint')}>
        <input value={dataDir} onChange={(e) => setDataDir(e.target.value)} required data-testid="run-data" />
      </Field>
      <Field label={t('models.outDir')} hint={t('models.outDirHint')}>
        <input value={outDir} onChange={(e) => setOutDir(e.target.value)} required data-testid="run-out" />
      </Field>
      {kind === 'train' ? (
        <Field label={t('models.preset')}>
          <select value={preset} onChange={(e) => setPreset(presetNames.find((name) => name === e.target.value) ?? 'tiny')} data-testid="run-preset">
            {presetNames.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </Field>
      ) : (
        <Field label={t('models.fromCheckpoint')}>
          <input value={checkpoint} onChange={(e) => setCheckpoint(e.target.value)} required data-testid="run-checkpoint" />
        </Field>
      )}
      <Field label={t('models.steps')}>
        <input type="number" min={1} value={steps} onChange={(e) => setSteps(Number(e.target.value))} data-testid="run-steps" />
      </Field>
      <button type="submit" className="primary" data-testid="run-start">
        {t('models.start')}
      </button>
      <ErrorMessage message={error} />
      {started ? <p className="muted small" data-testid="run-started">{t('models.started.run', { id: started })}</p> : null}
    </form>
  );
}
