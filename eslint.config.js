import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, lowest first (../shared/DESIGN.md, "Layers", says the same in words). A layer may
 * import only from layers listed before it; import-x/no-restricted-paths enforces it, import-x/no-cycle
 * forbids cycles anywhere. `shared` is pure (zod only): the dashboard may import it and nothing else of src/.
 */
const layers = [
  ['shared'], // the HTTP contract (zod schemas of every route), calendar months, the strategy methods the browser runs
  ['errors'],
  ['config'],
  ['engine', 'tokenizer'],
  ['models'],
  ['inference', 'store'],
  ['auth'],
  ['gateway', 'pipeline'], // serve and build models
  ['channels', 'customers', 'fine-tuning'], // the business domains every other one refers to; fine-tuning jobs on gateway keys and pipeline runs
  ['partners', 'strategy', 'analytics', 'billing'],
  ['demo'],
  ['server'],
  ['cli'],
];

/** Domains: their services know no HTTP; only their `routes` files adapt them to it (server/http). */
const domains = ['channels', 'customers', 'partners', 'strategy', 'analytics', 'billing', 'pipeline', 'fine-tuning'];

function restrictedZones() {
  const zones = [];
  layers.forEach((group, level) => {
    const higher = layers.slice(level + 1).flat();
    for (const target of group) {
      for (const from of higher) {
        // A domain's routes reach the server's HTTP kit (src/server/http), which imports no domain; so do
        // the gateway's (gateway/admin, gateway/routes), whose serving code streams replies itself.
        const except = from === 'server' && (domains.includes(target) || target === 'gateway') ? ['./http'] : [];
        zones.push({ target: `./src/${target}`, from: `./src/${from}`, except, message: `${target} is a lower layer than ${from}` });
      }
      if (target !== 'cli') zones.push({ target: `./src/${target}`, from: './src/app.ts', message: 'only the CLI imports the composition root' });
    }
  });
  zones.push({ target: './web', from: './src', except: ['./shared'], message: 'the dashboard imports only src/shared (the contract and pure code); it talks to the server over HTTP' });
  zones.push({ target: './src/server/http', from: './src', except: ['./server/http', './shared', './errors'], message: 'the HTTP kit imports no domain' });
  zones.push({ target: './src', from: './web', message: 'the server never imports the dashboard' });
  return zones;
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'asm/**', 'src/engine/kernels/wasm/*.js', 'data/**', 'test-artifacts/**', 'models/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { typescript: true, node: true } },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: restrictedZones() }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'read settings through src/config only' }],
    },
  },
  {
    files: domains.map((d) => `src/${d}/**/*.ts`),
    ignores: ['**/routes.ts', '**/routes/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify', '@fastify/*'], message: 'domain services know no HTTP: only a routes file imports the web framework' },
            { group: ['**/server/http/**', '**/server/http'], message: 'only a routes file uses the HTTP kit' },
          ],
        },
      ],
    },
  },
  { files: ['src/config/**', 'test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'eslint.config.js', 'vitest.config.ts'], rules: { 'no-restricted-properties': 'off' } },
  // TypeScript checks names in .ts files; the few .js files (bin, scripts, the kernel worker) are small.
  { rules: { 'no-undef': 'off' } },
);
