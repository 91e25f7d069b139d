import { useState, type FormEvent } from 'react';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import { ApiClient, isNotAvailable } from '../api/client.js';
import { teamRoutes } from '../../../src/shared/contract/team.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** Sign in as an administrator (an admin token, or e-mail and password) or as a partner user (e-mail and password). */
export function LoginPage() {
  const { t } = useI18n();
  const { signIn } = useSession();
  const [mode, setMode] = useState<'admin' | 'partner'>('admin');
  const [adminWith, setAdminWith] = useState<'token' | 'password'>('token');
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
        const bearer = adminWith === 'token' ? token.trim() : (await new ApiClient(null).call(teamRoutes.login, { body: { email: email.trim(), password } })).token;
        const me = await new ApiClient(bearer).call(teamRoutes.me).catch((err: unknown) => {
          throw isNotAvailable(err) ? new Error(t('login.notAdmin')) : err;
        });
        signIn({ kind: 'admin', token: bearer, email: me.user.email, role: me.role });
      } else {
        const answer = await new ApiClient(null).call(portalRoutes.login, { body: { email: email.trim(), password } });
        if (!answer.token) throw new Error(t('login.noSession'));
        signIn({ kind: 'partner', token: answer.token, partnerId: answer.partnerId, email: email.trim() });
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
          {mode === 'admin' && adminWith === 'token' ? (
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
          {mode === 'admin' ? (
            <button type="button" className="link-button" onClick={() => setAdminWith(adminWith === 'token' ? 'password' : 'token')} data-testid="login-admin-with">
              {adminWith === 'token' ? t('login.withPassword') : t('login.withToken')}
            </button>
          ) : null}
          <ErrorMessage message={error} />
          <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
            {busy ? t('common.working') : t('login.submit')}
          </button>
        </form>
      </div>
    </div>
  );
}
