import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Dashboard features never import each other; they meet in web/src/app (bulletproof-react).
const webFeatures = [
  'auth',
  'sites',
  'pins',
  'imports',
  'versions',
  'rollouts',
  'cohorts',
  'repairs',
  'audit',
  'sensors',
];
const onlyThroughApp = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '.tools/**',
      '.data/**',
      'server/src/db/generated/**',
      'web/src/lib/api/schema.d.ts',
      'server/src/ingest/control-plane/schema.d.ts',
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
    // Tests read JSON bodies of many shapes; typing each one would say nothing the assertions don't.
    files: ['**/*.test.ts', 'server/test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
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
  {
    // Its calls to the control plane go through the client typed from the control plane's
    // OpenAPI document (ADR 18); only the export webhook posts to a URL of its own.
    files: ['server/src/ingest/**/*.ts'],
    ignores: ['server/src/ingest/exports/channels.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'fetch',
          message:
            'Call the control plane with controlPlaneApi (ingest/control-plane/control-plane-api.ts), typed from its OpenAPI document.',
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.flat['recommended-latest'].rules,
      // The dashboard is used from the keyboard and with screen readers during incidents.
      ...jsxA11y.flatConfigs.strict.rules,
      // `role` on our own components is the token's role (viewer, operator…), not an ARIA role.
      'jsx-a11y/aria-role': ['error', { ignoreNonDOM: true }],
    },
  },
  {
    // Shared code (components, lib, config) sits below the features and the app.
    files: ['web/src/{components,lib,config,testing}/**/*.{ts,tsx}'],
    rules: onlyThroughApp(
      ['@/features/**', '@/app/**'],
      'Shared code must not depend on features or the app; pass what it needs as props.',
    ),
  },
  ...webFeatures.map((feature) => ({
    files: [`web/src/features/${feature}/**/*.{ts,tsx}`],
    rules: onlyThroughApp(
      [
        '@/app/**',
        ...webFeatures.filter((f) => f !== feature).map((f) => `@/features/${f}/**`),
        '../../*/**',
      ],
      `Feature '${feature}' must not import another feature or the app: compose them in web/src/app. Import shared code as @/lib, @/components, @/config.`,
    ),
  })),
);
