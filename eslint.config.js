import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      '.data/**',
      'server/src/db/generated/**',
      'web/src/lib/api/schema.d.ts',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The ingestion API is a separate service that reaches the control plane over HTTP only.
    files: ['server/src/ingest/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/features/**',
                '**/engine/**',
                '**/http/**',
                '../app.ts',
                '../main.ts',
                '../config.ts',
              ],
              message:
                'The ingestion API must not import control-plane code; talk to it over HTTP.',
            },
          ],
        },
      ],
    },
  },
);
