import { useState, type FormEvent } from 'react';
import { mayCall, ROLES, roleWithin, type Role } from '../../../src/shared/contract/access.js';
import { teamRoutes } from '../../../src/shared/contract/team.js';
import { useRoute } from '../api/useResource.js';
import { Card } from '../components/Card.js';
import { DataTable } from '../components/DataTable.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Field } from '../components/Field.js';
import { ResourceView } from '../components/ResourceView.js';
import { useI18n } from '../i18n/context.js';
import { useSession } from '../session/context.js';

/** A secret the server shows once (a token, a generated password), with the line that says so. */
function ShownOnce({ label, secret, testId }: { label: string; secret: string | null; testId: string }) {
  if (!secret) return null;
  return (
    <div className="secret" data-testid={testId}>
      <p>{label}</p>
      <code>{secret}</code>
    </div>
  );
}

/** Users with their roles (owners only): add one, change a role, disable or enable. */
function UsersCard({ myId }: { myId: string }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const users = useRoute(teamRoutes.listUsers, {});
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [password, setPassword] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      users.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  async function create(event: FormEvent) {
    event.preventDefault();
    setPassword(null);
    await attempt(async () => {
      const created = await client.call(teamRoutes.createUser, { body: { email: email.trim(), name: name.trim(), role } });
      setPassword(created.initialPassword);
      setEmail('');
      setName('');
    });
  }
  return (
    <Card title={t('team.users')} wide>
      <form className="form-row wrap" onSubmit={create} data-testid="user-form">
        <Field label={t('login.email')}>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required data-testid="user-email" />
        </Field>
        <Field label={t('common.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} data-testid="user-name" />
        </Field>
        <Field label={t('team.role')}>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-role">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {tEnum('role', r)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="primary" data-testid="user-create">
          {t('team.addUser')}
        </button>
      </form>
      <ShownOnce label={t('team.passwordOnce')} secret={password} testId="user-password" />
      <ErrorMessage message={error} />
      <ResourceView resource={users} path={teamRoutes.listUsers.url}>
        {(data) => (
          <DataTable
            testId="users-table"
            rows={data.data}
            rowKey={(u) => u.id}
            columns={[
              { header: t('login.email'), cell: (u) => u.email },
              { header: t('common.name'), cell: (u) => u.name || '—' },
              {
                header: t('team.role'),
                cell: (u) => (
                  <select value={u.role} onChange={(e) => void attempt(() => client.call(teamRoutes.updateUser, { params: { id: u.id }, body: { role: e.target.value as Role } }))} data-testid="user-role-change" aria-label={t('team.role')}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {tEnum('role', r)}
                      </option>
                    ))}
                  </select>
                ),
              },
              { header: t('common.status'), cell: (u) => (u.disabledAt ? t('team.disabled') : t('team.enabled')) },
              { header: t('team.lastLogin'), cell: (u) => (u.lastLoginAt ? u.lastLoginAt.slice(0, 16).replace('T', ' ') : t('team.never')) },
              {
                header: '',
                cell: (u) =>
                  u.id === myId ? (
                    <span className="muted">{t('team.you')}</span>
                  ) : (
                    <button type="button" className="link-button" onClick={() => void attempt(() => client.call(teamRoutes.updateUser, { params: { id: u.id }, body: { disabled: !u.disabledAt } }))} data-testid="user-toggle">
                      {u.disabledAt ? t('team.enable') : t('team.disable')}
                    </button>
                  ),
              },
            ]}
          />
        )}
      </ResourceView>
    </Card>
  );
}

/** My API tokens: name, scope, expiry, last use; create (shown once), rotate, revoke. */
function TokensCard({ myRole }: { myRole: Role }) {
  const { t, tEnum } = useI18n();
  const { client } = useSession();
  const tokens = useRoute(teamRoutes.myTokens, {});
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Role | ''>('');
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const attempt = async (work: () => Promise<string | null>) => {
    setError(null);
    setSecret(null);
    try {
      setSecret(await work());
      tokens.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  async function create(event: FormEvent) {
    event.preventDefault();
    await attempt(async () => {
      const expiresAt = expires ? new Date(`${expires}T23:59:59Z`).toISOString() : undefined;
      const created = await client.call(teamRoutes.createToken, { body: { name: name.trim(), ...(scope ? { scope } : {}), ...(expiresAt ? { expiresAt } : {}) } });
      setName('');
      return created.token;
    });
  }
  const day = (iso: string | null, none: string) => (iso ? iso.slice(0, 10) : none);
  return (
    <Card title={t('team.myTokens')} wide>
      <form className="form-row wrap" onSubmit={create} data-testid="token-form">
        <Field label={t('common.name')}>
          <input value={name} onChange={(e) => setName(e.target.value)} required data-testid="token-name" />
        </Field>
        <Field label={t('team.scope')} hint={t('team.scopeHint')}>
          <select value={scope} onChange={(e) => setScope(e.target.value as Role | '')} data-testid="token-scope">
            <option value="">{t('team.myRole', { role: tEnum('role', myRole) })}</option>
            {ROLES.filter((r) => roleWithin(r, myRole)).map((r) => (
              <option key={r} value={r}>
                {tEnum('role', r)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('team.expires')}>
          <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} data-testid="token-expires" />
        </Field>
        <button type="submit" className="primary" data-testid="token-create">
          {t('team.createToken')}
        </button>
      </form>
      <ShownOnce label={t('team.tokenOnce')} secret={secret} testId="token-secret" />
      <ErrorMessage message={error} />
      <ResourceView resource={tokens} path={teamRoutes.myTokens.url}>
        {(data) => (
          <DataTable
            testId="tokens-table"
            rows={data.data}
            rowKey={(k) => k.id}
            columns={[
              { header: t('common.name'), cell: (k) => k.name },
              { header: t('keys.prefix'), cell: (k) => <code>{k.prefix}</code> },
              { header: t('team.scope'), cell: (k) => (k.scope ? tEnum('role', k.scope) : t('team.myRole', { role: tEnum('role', myRole) })) },
              { header: t('team.actsAs'), cell: (k) => tEnum('role', k.role) },
              { header: t('team.expires'), cell: (k) => day(k.expiresAt, t('team.noExpiry')) },
              { header: t('team.lastUsed'), cell: (k) => day(k.lastUsedAt, t('team.never')) },
              {
                header: '',
                cell: (k) => (
                  <span className="actions">
                    <button type="button" className="link-button" onClick={() => void attempt(async () => (await client.call(teamRoutes.rotateToken, { params: { id: k.id } })).token)} data-testid="token-rotate">
                      {t('team.rotate')}
                    </button>{' '}
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => {
                        if (window.confirm(t('team.revokeConfirm'))) void attempt(async () => (await client.call(teamRoutes.revokeToken, { params: { id: k.id } }), null));
                      }}
                      data-testid="token-revoke"
                    >
                      {t('keys.revoke')}
                    </button>
                  </span>
                ),
              },
            ]}
          />
        )}
      </ResourceView>
    </Card>
  );
}

/** The Team page: who I am and my role, my API tokens, and (owners) the users and their roles. */
export function TeamPage() {
  const { t, tEnum } = useI18n();
  const me = useRoute(teamRoutes.me, {});
  return (
    <ResourceView resource={me} path={teamRoutes.me.url}>
      {(data) => (
        <div className="grid">
          <Card title={t('team.me')} wide>
            <p data-testid="team-me">{t('team.signedInAs', { email: data.user.email, role: tEnum('role', data.role) })}</p>
            {mayCall(data.role, teamRoutes.listUsers) ? null : <p className="muted">{t('team.ownersManage')}</p>}
          </Card>
          <TokensCard myRole={data.role} />
          {mayCall(data.role, teamRoutes.listUsers) ? <UsersCard myId={data.user.id} /> : null}
        </div>
      )}
    </ResourceView>
  );
}
