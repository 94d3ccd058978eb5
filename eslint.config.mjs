// Type-aware lint: floating promises are bugs in both activities and workflows, and workflow
// code runs in Temporal's deterministic sandbox, where Node built-ins do not exist.
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code runs in a sandbox without Node built-ins.', allowTypeImports: true })),
          patterns: [
            { group: ['@kubernetes/*'], message: 'Workflows reach Kubernetes only through activities.', allowTypeImports: true },
            { group: ['**/codec', '**/codec/*'], message: 'The payload codec uses Node crypto: it runs in the data converter, outside the workflow sandbox.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
);
