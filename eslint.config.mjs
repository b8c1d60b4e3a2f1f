// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import n from 'eslint-plugin-n';

/** A folder may not import the named sibling folders of lib/ nor the named packages. */
function layer(files, folders, packages) {
  return [
    {
      files: [files],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ...folders.map((f) => ({
                group: [`../${f}/*`, `../${f}`, `../../${f}/*`],
                message: `DESIGN.md layering: ${files.split('/')[1]} does not import lib/${f}.`,
              })),
              ...packages.map((p) => ({
                group: [p, `${p}/*`],
                message: `DESIGN.md layering: ${files.split('/')[1]} does not use ${p}.`,
              })),
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'cdktf.out/', 'coverage/', '**/cdktf.out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { n },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'n/prefer-node-protocol': 'error',
      'n/no-process-exit': 'error',
    },
  },
  {
    // Library code never reads the environment, prints or exits: only lib/cli/ may.
    files: ['lib/client/**/*.ts', 'lib/construct/**/*.ts'],
    rules: {
      'no-console': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Only lib/cli/ reads process.env.' },
        { object: 'process', property: 'exit', message: 'Only lib/cli/ exits.' },
      ],
    },
  },
  // The folder layering of DESIGN.md: data flows one way; each folder imports only what its role needs.
  ...layer(
    'lib/contract/**/*.ts',
    ['construct', 'cli', 'client', 'sandbox'],
    ['cdktf', 'cdktn', 'constructs', 'undici', 'proper-lockfile'],
  ),
  ...layer('lib/construct/**/*.ts', ['cli', 'client', 'sandbox'], ['undici', 'proper-lockfile']),
  ...layer('lib/client/**/*.ts', ['construct', 'cli', 'sandbox'], ['cdktf', 'cdktn', 'constructs']),
  ...layer(
    'lib/sandbox/**/*.ts',
    ['construct', 'cli', 'client', 'contract'],
    ['cdktf', 'cdktn', 'constructs', 'undici', 'proper-lockfile'],
  ),
  ...layer('lib/cli/**/*.ts', ['construct'], ['cdktf', 'cdktn', 'constructs']),
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
  },
);
