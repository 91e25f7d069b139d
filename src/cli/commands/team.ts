import { AdminTokens, TeamService } from '../../auth/index.js';
import { ROLES } from '../../shared/contract/access.js';
import { teamRoutes as api } from '../../shared/contract/team.js';
import { openStore } from '../../store/index.js';
import { recordCliChange } from '../audit-trail.js';
import type { Command, CommandGroup } from '../command.js';
import { adminApiFlags, callApi, defined, enumFlag, printRows, stringFlag } from './admin-api.js';
import { UsageError } from '../command.js';

const userColumns = ['id', 'email', 'name', 'role', 'hasPassword', 'disabledAt', 'lastLoginAt'];
const tokenColumns = ['id', 'name', 'prefix', 'userEmail', 'scope', 'role', 'expiresAt', 'lastUsedAt', 'revokedAt'];

/** `--disabled true|false`, or undefined. */
function booleanText(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UsageError(`--${name} must be true or false, got "${value}"`);
}

const listUsers: Command = {
  name: 'list',
  summary: 'List admin users and their roles (owner only).',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, api.listUsers);
    printRows(ctx, res, res.data, userColumns);
  },
};

const createUser: Command = {
  name: 'create',
  summary: 'Add an admin user with a role; prints a generated password once (owner only).',
  args: [{ name: 'email', doc: 'The user\'s e-mail (their sign-in name).' }],
  flags: { ...adminApiFlags, role: { type: 'string', doc: `Role: ${ROLES.join(', ')} (required).`, placeholder: 'ROLE' }, name: { type: 'string', doc: 'Display name.' } },
  async run(ctx) {
    const role = enumFlag(ctx.flags, 'role', ROLES);
    if (!role) throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
    const created = await callApi(ctx, api.createUser, { body: { email: ctx.positionals[0]!, role, ...defined({ name: stringFlag(ctx.flags, 'name') }) } });
    if (ctx.flags.json) return ctx.out(JSON.stringify(created, null, 2));
    ctx.out(`user ${created.user.id} ${created.user.email} (${created.user.role})`);
    if (created.initialPassword) ctx.out(`password (shown once; they change it on the Team page): ${created.initialPassword}`);
  },
};

const updateUser: Command = {
  name: 'update',
  summary: 'Change a user\'s role or name, or disable / enable them (owner only; the last active owner stays).',
  args: [{ name: 'id', doc: 'User id (usr_...).' }],
  flags: {
    ...adminApiFlags,
    role: { type: 'string', doc: `New role: ${ROLES.join(', ')}.`, placeholder: 'ROLE' },
    name: { type: 'string', doc: 'New display name.' },
    disabled: { type: 'string', doc: 'true disables the user (their sessions and tokens stop at once), false enables.', placeholder: 'BOOL' },
  },
  async run(ctx) {
    const body = defined({ role: enumFlag(ctx.flags, 'role', ROLES), name: stringFlag(ctx.flags, 'name'), disabled: booleanText(stringFlag(ctx.flags, 'disabled'), 'disabled') });
    if (Object.keys(body).length === 0) throw new UsageError('say what changes: --role, --name or --disabled');
    const user = await callApi(ctx, api.updateUser, { params: { id: ctx.positionals[0]! }, body });
    if (ctx.flags.json) return ctx.out(JSON.stringify(user, null, 2));
    ctx.out(`user ${user.id} ${user.email}: ${user.role}${user.disabledAt ? ', disabled' : ''}`);
  },
};

const deleteUser: Command = {
  name: 'delete',
  summary: 'Delete a user with their sessions and tokens (owner only; not the last active owner).',
  args: [{ name: 'id', doc: 'User id (usr_...).' }],
  flags: adminApiFlags,
  async run(ctx) {
    await callApi(ctx, api.removeUser, { params: { id: ctx.positionals[0]! } });
    ctx.out(`user ${ctx.positionals[0]!} deleted`);
  },
};

/** `qudao users list|create|update|delete` (through the running server's /api). */
export const usersCommand: CommandGroup = { name: 'users', summary: 'Admin users and their roles (owner only).', commands: [listUsers, createUser, updateUser, deleteUser] };

const listTokens: Command = {
  name: 'list',
  summary: 'List my API tokens (--everyone: every user\'s, owner only).',
  flags: { ...adminApiFlags, everyone: { type: 'boolean', doc: 'Every user\'s tokens (owner only).' }, all: { type: 'boolean', doc: 'Include revoked and expired tokens.' } },
  async run(ctx) {
    const query = { include: ctx.flags.all ? ('all' as const) : ('active' as const) };
    const res = ctx.flags.everyone ? await callApi(ctx, api.allTokens, { query }) : await callApi(ctx, api.myTokens, { query });
    printRows(ctx, res, res.data, tokenColumns);
  },
};

const createToken: Command = {
  name: 'create',
  summary: 'Create an API token for me; prints it once.',
  args: [{ name: 'name', doc: 'What the token is for (e.g. "billing export script").' }],
  flags: {
    ...adminApiFlags,
    scope: { type: 'string', doc: 'A role no wider than mine (default: my role, and whatever it becomes).', placeholder: 'ROLE' },
    expires: { type: 'string', doc: 'Expiry, ISO 8601 (e.g. 2027-01-01T00:00:00Z).', placeholder: 'TIME' },
  },
  async run(ctx) {
    const created = await callApi(ctx, api.createToken, { body: { name: ctx.positionals[0]!, ...defined({ scope: enumFlag(ctx.flags, 'scope', ROLES), expiresAt: stringFlag(ctx.flags, 'expires') }) } });
    if (ctx.flags.json) return ctx.out(JSON.stringify(created, null, 2));
    ctx.out(`token ${created.id} (${created.prefix}) acting as ${created.role}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}`);
    ctx.out(`token (shown once, keep it safe): ${created.token}`);
  },
};

const rotateToken: Command = {
  name: 'rotate',
  summary: 'A new secret for a token; the old one stops at once. Prints the new one once.',
  args: [{ name: 'id', doc: 'Token id (adm_...).' }],
  flags: adminApiFlags,
  async run(ctx) {
    const created = await callApi(ctx, api.rotateToken, { params: { id: ctx.positionals[0]! } });
    if (ctx.flags.json) return ctx.out(JSON.stringify(created, null, 2));
    ctx.out(`token ${ctx.positionals[0]!} revoked; its successor is ${created.id} (${created.prefix})`);
    ctx.out(`token (shown once, keep it safe): ${created.token}`);
  },
};

const revokeToken: Command = {
  name: 'revoke',
  summary: 'Revoke a token at once (mine; the owner may revoke anyone\'s).',
  args: [{ name: 'id', doc: 'Token id (adm_...).' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callApi(ctx, api.revokeToken, { params: { id: ctx.positionals[0]! } });
    if (ctx.flags.json) return ctx.out(JSON.stringify(row, null, 2));
    ctx.out(`token ${row.id} (${row.prefix}) revoked at ${row.revokedAt ?? ''}`);
  },
};

/** `qudao tokens list|create|rotate|revoke` (through the running server's /api). */
export const tokensCommand: CommandGroup = { name: 'tokens', summary: 'My admin API tokens: list, create, rotate, revoke.', commands: [listTokens, createToken, rotateToken, revokeToken] };

const resetOwner: Command = {
  name: 'reset-owner',
  summary: 'Recover the workspace: an owner with a new password and a new owner token, printed once.',
  usesConfig: true,
  flags: { email: { type: 'string', doc: 'Make this user the owner (created when absent); default: the first owner.', placeholder: 'EMAIL' } },
  help:
    'Opens the data folder or DATABASE_URL directly, so stop the server first when it uses the embedded store\n' +
    '(with PostgreSQL it may run: its replicas reload the tokens at once). The user is enabled, made an owner,\n' +
    'given a generated password and a new API token named reset-owner; their old sessions end.',
  async run(ctx) {
    const email = stringFlag(ctx.flags, 'email');
    if (email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw new UsageError(`--email must be an e-mail address like name@example.com, got "${email}"`);
    const config = ctx.loadConfig();
    const store = await openStore(config);
    try {
      const tokens = new AdminTokens(store);
      // The recovery and its audit row (actor cli:<OS user>) commit together.
      const { user, password, token } = await store.withTransaction(async () => {
        const reset = await new TeamService(store, tokens).resetOwner(email, config.ownerEmail);
        await recordCliChange(store, { command: 'qudao admin reset-owner', action: 'admin.reset-owner', targetType: 'users', targetId: reset.user.id, diff: [{ op: 'add', path: '/reset', value: { email: reset.user.email, role: 'owner', enabled: true, newPassword: true, newToken: 'reset-owner' } }] });
        return reset;
      });
      ctx.out(`owner ${user.email} (${user.id}) is enabled`);
      ctx.out(`password (shown once; change it on the Team page): ${password}`);
      ctx.out(`owner token (shown once, keep it safe): ${token}`);
      return 0;
    } finally {
      await store.close();
    }
  },
};

/** `qudao admin reset-owner`. */
export const adminCommand: CommandGroup = { name: 'admin', summary: 'Workspace recovery with access to the data folder.', commands: [resetOwner] };
