import { teamRoutes } from '../../../src/shared/contract/team.js';
import { step, type DomainSteps } from '../runner.js';

const password = 'contract-test-password-1';

/** Team access: users, a sign-in, my password, my tokens (create, rotate, revoke); the user is deleted at the end. */
export const teamSteps: DomainSteps = {
  steps: [
    step(teamRoutes.listUsers),
    step(teamRoutes.createUser, { input: () => ({ body: { email: 'contract-team@example.com', name: 'Contract', role: 'finance' as const, password } }), save: (a, s) => void (s.teamUserId = a.user.id) }),
    step(teamRoutes.getUser, { input: (s) => ({ params: { id: s.teamUserId! } }) }),
    step(teamRoutes.updateUser, { input: (s) => ({ params: { id: s.teamUserId! }, body: { role: 'viewer' as const, name: 'Contract Viewer' } }) }),
    step(teamRoutes.login, { input: () => ({ body: { email: 'contract-team@example.com', password } }) }),
    step(teamRoutes.me),
    step(teamRoutes.changePassword, { input: () => ({ body: { newPassword: 'owner-contract-password-1' } }) }),
    step(teamRoutes.createToken, { input: () => ({ body: { name: 'contract token', scope: 'viewer' as const, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } }), save: (a, s) => void (s.teamTokenId = a.id) }),
    step(teamRoutes.myTokens, { input: () => ({ query: { include: 'all' as const } }) }),
    step(teamRoutes.allTokens),
    step(teamRoutes.rotateToken, { input: (s) => ({ params: { id: s.teamTokenId! } }), save: (a, s) => void (s.teamTokenId = a.id) }),
    step(teamRoutes.revokeToken, { input: (s) => ({ params: { id: s.teamTokenId! } }) }),
    step(teamRoutes.logout),
  ],
  deletes: [step(teamRoutes.removeUser, { input: (s) => ({ params: { id: s.teamUserId! } }) })],
};
