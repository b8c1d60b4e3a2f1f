// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import n from 'eslint-plugin-n';

/**
 * The one file of lib/construct that imports cdktf (docs/design.md, "Layering"): the seam the cdktn flavour
 * rewrites. Every other construct file imports cdktf's names from it; never lengthen this list.
 */
const CDKTF_IMPORTERS = ['lib/construct/cdk.ts'];

/** `\x2F` is `/`: esquery's regex literals cannot hold a slash, escaped or not. */
const regexOf = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '\\x2F');

/** AST selectors for every way a module names another: import(), require(), import x = require(), import('x').T */
function specifierSelectors(pattern) {
  return [
    `ImportExpression[source.value=/${pattern}/]`,
    `CallExpression[callee.name='require'][arguments.0.value=/${pattern}/]`,
    `TSExternalModuleReference[expression.value=/${pattern}/]`,
    `TSImportType[argument.literal.value=/${pattern}/]`,
  ];
}

/** Specifiers must be string literals, so that the layering and the cdktn build can read them. */
const STATIC_SPECIFIERS = [
  {
    selector: "CallExpression[callee.name='require'][arguments.0.type!='Literal']",
    message:
      'require() only with a string literal: the layering lint and scripts/build-cdktn.mjs read specifiers (docs/design.md, "Layering").',
  },
  {
    selector: "ImportExpression[source.type!='Literal']",
    message:
      'import() only with a string literal: the layering lint and scripts/build-cdktn.mjs read specifiers (docs/design.md, "Layering").',
  },
];

/**
 * A folder may not import the named sibling folders of lib/ nor the named packages: not by `import`
 * declarations (no-restricted-imports) nor by `import()`, `require()` or `import x = require()`
 * (no-restricted-syntax). test/integration/lint/guard-rails.test.ts lints probe files that break each rule.
 */
function layer(files, folders, packages, options = {}) {
  const role = options.role ?? files.split('/')[1];
  const folderMessage = (f) => `docs/design.md layering: ${role} does not import lib/${f}.`;
  const packageMessage = (p) =>
    p === 'cdktf'
      ? `docs/design.md layering: only lib/construct imports cdktf, through the files listed in CDKTF_IMPORTERS (eslint.config.mjs).`
      : `docs/design.md layering: ${role} does not use ${p}.`;
  return [
    {
      files: [files],
      ...(options.ignores ? { ignores: options.ignores } : {}),
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              ...folders.map((f) => ({
                group: [`../${f}/*`, `../${f}`, `../../${f}/*`, `../../${f}`],
                message: folderMessage(f),
              })),
              ...packages.map((p) => ({ group: [p, `${p}/*`], message: packageMessage(p) })),
            ],
          },
        ],
        'no-restricted-syntax': [
          'error',
          ...STATIC_SPECIFIERS,
          ...folders.flatMap((f) =>
            specifierSelectors(`^(\\.\\.${regexOf('/')})+${regexOf(f)}(${regexOf('/')}|$)`).map(
              (selector) => ({ selector, message: folderMessage(f) }),
            ),
          ),
          ...packages.flatMap((p) =>
            specifierSelectors(`^${regexOf(p)}(${regexOf('/')}|$)`).map((selector) => ({
              selector,
              message: packageMessage(p),
            })),
          ),
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
  // The folder layering of docs/design.md: data flows one way; each folder imports only what its role needs.
  ...layer(
    'lib/contract/**/*.ts',
    ['construct', 'cli', 'client', 'sandbox'],
    ['cdktf', 'cdktn', 'constructs', 'undici', 'proper-lockfile'],
  ),
  ...layer('lib/construct/**/*.ts', ['cli', 'client', 'sandbox'], ['undici', 'proper-lockfile']),
  ...layer('lib/construct/**/*.ts', ['cli', 'client', 'sandbox'], ['undici', 'proper-lockfile', 'cdktf'], {
    ignores: CDKTF_IMPORTERS,
  }),
  ...layer('lib/client/**/*.ts', ['construct', 'cli', 'sandbox'], ['cdktf', 'cdktn', 'constructs']),
  ...layer(
    'lib/sandbox/**/*.ts',
    ['construct', 'cli', 'client', 'contract'],
    ['cdktf', 'cdktn', 'constructs', 'undici', 'proper-lockfile'],
  ),
  ...layer('lib/cli/**/*.ts', ['construct'], ['cdktf', 'cdktn', 'constructs']),
  // The entry points re-export; they reach cdktf only through lib/construct.
  ...layer('lib/*.ts', [], ['cdktf', 'cdktn'], { role: 'the entry point' }),
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
