// Layering rules from ARCHITECTURE.md, enforced here so a violation fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ELECTRON_ONLY = {
  name: 'electron',
  message: 'Only main/electron/**, main/index.ts and preload/index.ts may import electron (ARCHITECTURE rule 1).',
};
const UNDICI_ONLY_IN_NET = {
  name: 'undici',
  allowTypeImports: true,
  message: 'Only main/net/** talks to undici; use the net layer (ARCHITECTURE rule 3).',
};
const NO_OWN_DISPATCHER = [
  {
    selector: "NewExpression[callee.name=/^(Agent|ProxyAgent|EnvHttpProxyAgent|Pool|Client|RetryAgent|BalancedPool)$/]",
    message: 'Dispatchers are created only in main/net (ARCHITECTURE rule 3).',
  },
  {
    selector: "NewExpression[callee.object.name='undici']",
    message: 'Dispatchers are created only in main/net (ARCHITECTURE rule 3).',
  },
];
const NO_GLOBAL_FETCH = [
  { name: 'fetch', message: 'Use the net layer, never the global fetch (ARCHITECTURE rule 3).' },
  { name: 'WebSocket', message: 'Use the net layer for platform WebSockets (ARCHITECTURE rule 3).' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'release/**', '.ci/**', 'test-results/**', 'bench-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Everything outside the Electron shell: no electron import.
  {
    files: ['**/*.ts', '**/*.js'],
    ignores: ['main/electron/**', 'main/index.ts', 'preload/index.ts', 'test/e2e/electron/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [ELECTRON_ONLY] }] },
  },
  // Production code outside main/net: no undici, no own dispatcher, no global fetch/WebSocket.
  {
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    ignores: ['main/net/**', 'main/electron/**', 'main/index.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [ELECTRON_ONLY, UNDICI_ONLY_IN_NET] }],
      'no-restricted-syntax': ['error', ...NO_OWN_DISPATCHER],
      'no-restricted-globals': ['error', ...NO_GLOBAL_FETCH],
    },
  },
  {
    files: ['main/electron/**/*.ts', 'main/index.ts', 'preload/index.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [UNDICI_ONLY_IN_NET] }],
      'no-restricted-syntax': ['error', ...NO_OWN_DISPATCHER],
      'no-restricted-globals': ['error', ...NO_GLOBAL_FETCH],
    },
  },
  // Renderer: browser globals, and it sees only preload/contract.ts.
  {
    files: ['renderer/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [ELECTRON_ONLY, UNDICI_ONLY_IN_NET, { name: 'ws', message: 'The renderer talks only through the bridge.' }],
        patterns: [
          { group: ['**/main/**', '../main/*', '../../main/*'], message: 'renderer/** imports nothing from main/** (ARCHITECTURE rule 2).' },
          { group: ['**/preload/*', '!**/preload/contract.ts'], message: 'The renderer sees preload/contract.ts only (ARCHITECTURE rule 2).' },
          { group: ['node:*'], message: 'The renderer runs in a browser.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'The renderer talks only through the bridge.' }],
    },
  },
  {
    files: ['test/e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
