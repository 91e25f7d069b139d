import js from '@eslint/js';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Layers, lowest first. A layer may import only from layers listed before it; the linter enforces it
 * (import-x/no-restricted-paths) together with import-x/no-cycle.
 */
const layers = [
  ['errors'],
  ['config'],
  ['engine', 'tokenizer'],
  ['models'],
  ['inference', 'store'],
  ['auth', 'pipeline', 'gateway', 'keys', 'channels', 'customers', 'partners', 'strategy', 'analytics', 'demo'],
  ['server'],
  ['cli'],
];

function restrictedZones() {
  const zones = [];
  layers.forEach((group, level) => {
    const higher = layers.slice(level + 1).flat();
    for (const target of group) {
      for (const from of higher) zones.push({ target: `./src/${target}`, from: `./src/${from}`, message: `${target} is a lower layer than ${from}` });
      if (target !== 'cli') zones.push({ target: `./src/${target}`, from: './src/app.ts', message: 'only the CLI imports the composition root' });
    }
  });
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
  { files: ['src/config/**', 'test/**', 'bench/**', 'scripts/**', '**/*.test.ts', 'eslint.config.js', 'vitest.config.ts'], rules: { 'no-restricted-properties': 'off' } },
  // TypeScript checks names in .ts files; the few .js files (bin, scripts, the kernel worker) are small.
  { rules: { 'no-undef': 'off' } },
);
