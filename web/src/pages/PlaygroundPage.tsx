import { useEffect, useRef, useState, type FormEvent } from 'react';
import { gatewayAdminRoutes } from '../../../src/shared/contract/gateway.js';
import { v1Routes } from '../../../src/shared/contract/v1.js';
import { ApiClient } from '../api/client.js';
import { streamChat, type ChatMessage } from '../api/chatStream.js';
import { loadPlaygroundKey, savePlaygroundKey } from '../api/playgroundKey.js';
import { Card } from '../components/Card.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/**
 * Names of the deployments whose last health check failed (`/api/deployments`, read with the signed-in
 * admin's session); empty when the session may not read them.
 */
async function unhealthyModels(client: ApiClient): Promise<Set<string>> {
  try {
    const { data } = await client.call(gatewayAdminRoutes.listDeployments);
    return new Set(data.filter((d) => d.health === 'unhealthy').map((d) => d.name));
  } catch {
    return new Set();
  }
}

/**
 * Playground: chat with a deployed model through the gateway, as a customer would — with a customer API
 * key, `/v1/models` for the list and `/v1/chat/completions` streaming. A model whose upstream failed its last
 * health check is not offered (it would only answer 503), and the page says which.
 */
export function PlaygroundPage() {
  const { t } = useI18n();
  const { client } = useSession();
  const [apiKey, setApiKey] = useState(loadPlaygroundKey);
  const [models, setModels] = useState<string[]>([]);
  const [hidden, setHidden] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [system, setSystem] = useState('');
  const [temperature, setTemperature] = useState(0.7);
  const [maxTokens, setMaxTokens] = useState(128);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [streaming, setStreaming] = useState(false);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    if (!apiKey) return;
    savePlaygroundKey(apiKey);
    let cancelled = false;
    Promise.all([new ApiClient(apiKey).call(v1Routes.models), unhealthyModels(client)])
      .then(([list, unhealthy]) => {
        if (cancelled) return;
        const all = list.data.map((m) => m.id);
        const ids = all.filter((id) => !unhealthy.has(id));
        setModels(ids);
        setHidden(all.filter((id) => unhealthy.has(id)));
        setModel((current) => (current && ids.includes(current) ? current : (ids[0] ?? '')));
        setError(null);
      })
      .catch((err: unknown) => !cancelled && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [apiKey, client]);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!draft.trim() || streaming) return;
    const history: ChatMessage[] = [...messages, { role: 'user', content: draft.trim() }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setDraft('');
    setError(null);
    setStreaming(true);
    abort.current = new AbortController();
    try {
      const request = { model, messages: system.trim() ? [{ role: 'system' as const, content: system.trim() }, ...history] : history, temperature, max_tokens: maxTokens };
      await streamChat(apiKey, request, (piece) => setMessages((all) => all.map((m, i) => (i === all.length - 1 ? { ...m, content: m.content + piece } : m))), abort.current.signal);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err instanceof Error ? err.message : String(err));
    } finally {
      setStreaming(false);
    }
  }

  return (
    <div className="grid">
      <Card title={t('playground.settings')}>
        <Field label={t('playground.apiKey')} hint={t('playground.apiKeyHint')}>
          <input type="password" value={apiKey} onChange={(e) => setApiKey(e.target.value.trim())} placeholder="sk-…" data-testid="playground-key" />
        </Field>
        <Field label={t('playground.model')}>
          <select value={model} onChange={(e) => setModel(e.target.value)} data-testid="playground-model">
            {models.length === 0 ? <option value="">{t('playground.noModels')}</option> : null}
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        {hidden.length > 0 ? <p className="muted small" data-testid="playground-hidden">{t('playground.hiddenUnhealthy', { names: hidden.join(', ') })}</p> : null}
        <Field label={t('playground.system')}>
          <textarea rows={2} value={system} onChange={(e) => setSystem(e.target.value)} />
        </Field>
        <div className="form-row">
          <Field label={t('playground.temperature')}>
            <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Number(e.target.value))} />
          </Field>
          <Field label={t('playground.maxTokens')}>
            <input type="number" min={1} max={4096} value={maxTokens} onChange={(e) => setMaxTokens(Number(e.target.value))} data-testid="playground-max-tokens" />
          </Field>
        </div>
      </Card>
      <Card title={t('playground.chat')} wide>
        <div className="chat" data-testid="chat-log" aria-live="polite">
          {messages.length === 0 ? <p className="muted">{t('playground.empty')}</p> : null}
          {messages.map((m, i) => (
            <div key={i} className={`bubble ${m.role}`} data-testid={`chat-${m.role}`}>
              {m.content || (streaming && i === messages.length - 1 ? '…' : '')}
            </div>
          ))}
        </div>
        <ErrorMessage message={error} />
        <form className="form-row" onSubmit={send}>
          <input className="grow" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder={t('playground.placeholder')} data-testid="chat-input" />
          {streaming ? (
            <button type="button" onClick={() => abort.current?.abort()}>
              {t('playground.stop')}
            </button>
          ) : (
            <button type="submit" className="primary" disabled={!apiKey || !model} data-testid="chat-send">
              {t('playground.send')}
            </button>
          )}
          <button type="button" onClick={() => setMessages([])}>
            {t('playground.clear')}
          </button>
        </form>
      </Card>
    </div>
  );
}
