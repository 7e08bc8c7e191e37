// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Layer rules from DESIGN.md, enforced here rather than by hope. */
const layer = {
  shared: {
    paths: [...nodeBuiltins, 'electron', 'react', 'react-dom'].map((name) => ({
      name,
      message: 'src-shared is pure TypeScript: no Node, DOM, Electron or React.',
    })),
    patterns: [
      { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports nothing from src-main or src-renderer.' },
    ],
  },
  main: {
    paths: [{ name: 'electron', message: "Only src-main/electron/ may import 'electron'; everything else must run under plain Node." }],
    patterns: [{ group: ['**/src-renderer/**'], message: 'src-main never imports the renderer.' }],
  },
  renderer: {
    paths: [...nodeBuiltins, 'electron'].map((name) => ({
      name,
      message: 'The renderer is sandboxed: talk to the host only through the rpc client.',
    })),
    patterns: [{ group: ['**/src-main/**'], message: 'src-renderer never imports src-main; use the rpc client.' }],
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  { files: ['src-shared/**/*.ts'], rules: { 'no-restricted-imports': ['error', layer.shared] } },
  { files: ['src-main/**/*.ts'], ignores: ['src-main/electron/**'], rules: { 'no-restricted-imports': ['error', layer.main] } },
  { files: ['src-main/electron/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: layer.main.patterns }] } },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    ignores: ['src-renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'no-restricted-imports': ['error', layer.renderer],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['bin/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
