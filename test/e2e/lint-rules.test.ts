import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js do what the README says: they are checked here on code written as if
 * it lived in the repository (ESLint resolves its imports from the given path), so a rule that stopped
 * matching fails this test rather than letting a violation through `npm run lint`.
 */
describe('the lint layer rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });

  async function problems(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
  }

  it('refuses fastify in a domain file outside its routes', async () => {
    const code = "import type { FastifyInstance } from 'fastify';\nexport type X = FastifyInstance;\n";
    expect((await problems('src/partners/some-service.ts', code)).join('\n')).toMatch(/only a routes file imports the web framework/);
    expect((await problems('src/analytics/kpi/some-kpi.ts', code)).join('\n')).toMatch(/only a routes file/);
    expect(await problems('src/partners/routes/some-routes.ts', code)).toEqual([]);
    expect(await problems('src/channels/routes.ts', code)).toEqual([]);
  });

  it('refuses the HTTP kit in a domain file outside its routes, and allows it in routes', async () => {
    const code = "import { route } from '../server/http/index.js';\nexport const r = route;\n";
    expect((await problems('src/customers/some-service.ts', code)).join('\n')).toMatch(/only a routes file uses the HTTP kit/);
    expect(await problems('src/customers/routes.ts', code)).toEqual([]);
  });

  it('refuses a domain reaching the rest of the server, even from its routes', async () => {
    const code = "import { buildServer } from '../server/server.js';\nexport const b = buildServer;\n";
    expect((await problems('src/customers/routes.ts', code)).join('\n')).toMatch(/customers is a lower layer than server/);
  });

  it('refuses a lower layer importing a higher one', async () => {
    const code = "import { customerRoutes } from '../customers/routes.js';\nexport const c = customerRoutes;\n";
    expect((await problems('src/store/some-module.ts', code)).join('\n')).toMatch(/store is a lower layer than customers/);
  });

  it('lets the dashboard import src/shared and nothing else of src/', async () => {
    expect(await problems('web/src/pages/Example.tsx', "import { customerRoutes } from '../../../src/shared/contract/customers.js';\nexport const c = customerRoutes;\n")).toEqual([]);
    const server = await problems('web/src/pages/Example.tsx', "import { QudaoError } from '../../../src/errors/index.js';\nexport const e = QudaoError;\n");
    expect(server.join('\n')).toMatch(/the dashboard imports only src\/shared/);
  });

  it('keeps src/shared pure: it imports nothing else of src/', async () => {
    const code = "import { QudaoError } from '../errors/index.js';\nexport const e = QudaoError;\n";
    expect((await problems('src/shared/some-module.ts', code)).join('\n')).toMatch(/shared is a lower layer than errors/);
  });

  it('passes over the whole repository (npm run lint is clean, so CI enforces the layers)', async () => {
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath.replace(process.cwd() + '/', '')}:${m.line} ${m.ruleId}: ${m.message}`));
    expect(errors).toEqual([]);
  }, 120_000);
});
