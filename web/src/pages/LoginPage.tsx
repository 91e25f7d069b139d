import { useState, type FormEvent } from 'react';
import { ApiClient, isNotAvailable } from '../api/client.js';
import { endpoints } from '../api/endpoints.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

interface WhoAmI {
  principal?: { kind: 'admin' } | { kind: 'partner'; partnerId: string; userId: string };
}

/** Finds the session token in a portal login answer (`token`, `sessionToken` or `session.token`). */
function sessionTokenOf(payload: unknown): string | null {
  if (!payload || typeof payload !== 'object') return null;
  const record = payload as Record<string, unknown>;
  for (const key of ['token', 'sessionToken', 'session_token']) if (typeof record[key] === 'string') return record[key];
  return record.session ? sessionTokenOf(record.session) : null;
}

/** Sign in as an administrator (admin token) or as a partner user (email and password). */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [mode, setMode] = useState<'admin' | 'partner'>('admin');
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'admin') {
        const who = await new ApiClient(token.trim()).get<WhoAmI>(endpoints.whoami);
        if (who.principal?.kind !== 'admin') throw new Error(t('login.notAdmin'));
        signIn({ kind: 'admin', token: token.trim() });
      } else {
        const answer = await new ApiClient(null).post<unknown>(endpoints.portalLogin, { email: email.trim(), password });
        const sessionToken = sessionTokenOf(answer);
        if (!sessionToken) throw new Error(t('login.noSession'));
        const who = await new ApiClient(sessionToken).get<WhoAmI>(endpoints.whoami);
        const partnerId = who.principal?.kind === 'partner' ? who.principal.partnerId : null;
        signIn({ kind: 'partner', token: sessionToken, partnerId, email: email.trim() });
      }
      if (!window.location.hash) window.location.hash = '#/';
    } catch (err) {
      if (mode === 'partner' && isNotAvailable(err)) setError(t('login.portalNotAvailable'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <div className="login-box">
        <div className="login-top">
          <span className="brand">Qudao 渠道</span>
          <LanguageSwitch />
        </div>
        <h1>{t('login.title')}</h1>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'admin'} className={mode === 'admin' ? 'active' : ''} onClick={() => setMode('admin')} data-testid="login-admin-tab">
            {t('login.admin')}
          </button>
          <button type="button" role="tab" aria-selected={mode === 'partner'} className={mode === 'partner' ? 'active' : ''} onClick={() => setMode('partner')} data-testid="login-partner-tab">
            {t('login.partner')}
          </button>
        </div>
        <form onSubmit={submit}>
          {mode === 'admin' ? (
            <Field label={t('login.token')} hint={t('login.tokenHint')}>
              <input type="password" autoComplete="current-password" value={token} onChange={(e) => setToken(e.target.value)} required data-testid="login-token" />
            </Field>
          ) : (
            <>
              <Field label={t('login.email')}>
                <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="login-email" />
              </Field>
              <Field label={t('login.password')}>
                <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required data-testid="login-password" />
              </Field>
            </>
          )}
          <ErrorMessage message={error} />
          <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
            {busy ? t('common.working') : t('login.submit')}
          </button>
        </form>
      </div>
    </div>
  );
}
