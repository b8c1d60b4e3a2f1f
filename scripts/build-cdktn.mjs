// Emits the CDK Terrain flavour, dist/cdktn/ (`cdktf-mongodb-invitations/cdktn`), from the cdktf build in
// dist/: every module that reaches cdktf is written again with `cdktf` → `cdktn`; the rest is shared.
// Why and the rules construct code must keep: docs/decisions/0007-cdktn-flavour-by-rewriting-imports.md.
// It fails, rather than emit a flavour with a hole, when an export path of package.json reaches cdktf but
// has no `./cdktn…` twin, and when a module names another by a computed require() or import() (which this
// script cannot follow). Last, it writes the stamp of the sources (scripts/source-stamp.cjs).
// Usage: node scripts/build-cdktn.mjs [--dist dist] [--manifest package.json]   (after `tsc -p tsconfig.build.json`)
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'dist' },
    manifest: { type: 'string', default: 'package.json' },
  },
});
const dist = resolve(values.dist);
const out = join(dist, 'cdktn');
const SHIM = 'provider-null-unavailable';
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(resolve(values.manifest), 'utf8'));
const FLAVOUR_KEY = './cdktn';

/** The file an export condition object (or string) points at by default. */
const exportTarget = (value) => (typeof value === 'string' ? value : value?.default);
/** The export key of the cdktn twin of `key`: `.` → `./cdktn`, `./x` → `./cdktn/x`. */
const twinKey = (key) => (key === '.' ? FLAVOUR_KEY : `${FLAVOUR_KEY}/${key.slice(2)}`);
const isFlavourKey = (key) => key === FLAVOUR_KEY || key.startsWith(`${FLAVOUR_KEY}/`);

function posixOf(p) {
  return p.split(sep).join('/');
}

/** The cdktn specifier for a cdktf-only one, or undefined when `spec` is not cdktf-bound. */
function mapPackage(spec) {
  if (spec === 'cdktf' || spec.startsWith('cdktf/')) return `cdktn${spec.slice('cdktf'.length)}`;
  if (spec === '@cdktf/provider-null' || spec.startsWith('@cdktf/provider-null/')) return SHIM;
  if (spec.startsWith('@cdktf/')) {
    throw new Error(`${spec} is cdktf-only: scripts/build-cdktn.mjs needs a mapping for it`);
  }
  return undefined;
}

/** Module specifiers of a file, with their positions (import, export from, require, import(), import type). */
function specifiersOf(file) {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return {
    text,
    // preProcessFile's pos is that of the opening quote
    specs: importedFiles.map((f) => ({ spec: f.fileName, start: f.pos + 1, end: f.end + 1 })),
  };
}

/** The compiled module a relative specifier names, as a path without extension, or undefined. */
function resolveLocal(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [base, join(base, 'index')]) {
    if (existsSync(`${candidate}.js`) || existsSync(`${candidate}.d.ts`)) return candidate;
  }
  return undefined;
}

/** Computed module specifiers (`require(x)`, `import(x)` with x not a string literal) in a .js file. */
function computedSpecifiers(file, text) {
  const found = [];
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const visit = (node) => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const loads =
        callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
      const [first] = node.arguments;
      if (loads && first !== undefined && !ts.isStringLiteralLike(first)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${relative(packageDir, file)}:${line + 1}: ${node.getText(source)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// 0. The entry points: every export path of package.json but the flavour's own and package.json.
const exportEntries = Object.entries(manifest.exports ?? {})
  .filter(([key]) => !isFlavourKey(key) && key !== './package.json')
  .map(([key, value]) => {
    const target = exportTarget(value);
    if (typeof target !== 'string' || !target.startsWith('./dist/') || !target.endsWith('.js')) {
      throw new Error(`package.json exports "${key}": expected a default of ./dist/….js, found ${target}`);
    }
    return { key, module: join(dist, target.slice('./dist/'.length)).replace(/\.js$/, '') };
  });

// 1. The module graph reachable from the entry points. A module is a path under dist/ without extension.
const modules = new Map(); // module -> { files: [{ file, text, specs }], locals: Set<module>, direct: boolean }
const entry = join(dist, 'index');
const queue = [entry, ...exportEntries.map((e) => e.module)];
const computed = [];
while (queue.length > 0) {
  const mod = queue.pop();
  if (modules.has(mod)) continue;
  const info = { files: [], locals: new Set(), direct: false };
  modules.set(mod, info);
  for (const file of [`${mod}.js`, `${mod}.d.ts`]) {
    if (!existsSync(file)) continue;
    const parsed = specifiersOf(file);
    info.files.push({ file, ...parsed });
    if (file.endsWith('.js')) computed.push(...computedSpecifiers(file, parsed.text));
    for (const { spec } of parsed.specs) {
      if (spec.startsWith('.')) {
        const target = resolveLocal(file, spec);
        if (target !== undefined) {
          info.locals.add(target);
          queue.push(target);
        }
      } else if (mapPackage(spec) !== undefined) {
        info.direct = true;
      }
    }
  }
}
if (!modules.get(entry)?.files.length) throw new Error(`${entry}.js is missing: run tsc first`);
if (computed.length > 0) {
  throw new Error(
    'computed module specifiers, which the cdktn flavour cannot follow (name modules with string literals):\n' +
      computed.map((c) => `  ${c}`).join('\n'),
  );
}

// 2. cdktf-bound modules: a fixpoint over the graph (it may have cycles).
const bound = new Set([...modules].filter(([, info]) => info.direct).map(([mod]) => mod));
for (let changed = true; changed;) {
  changed = false;
  for (const [mod, info] of modules) {
    if (!bound.has(mod) && [...info.locals].some((dep) => bound.has(dep))) {
      bound.add(mod);
      changed = true;
    }
  }
}
if (!bound.has(entry)) throw new Error('dist/index does not depend on cdktf: nothing to do for cdktn?');

// An export path that reaches cdktf needs its twin under ./cdktn, pointing at the rewritten module.
const missingTwins = [];
for (const { key, module } of exportEntries) {
  if (!bound.has(module)) continue;
  const twin = twinKey(key);
  const expected = `./dist/${posixOf(relative(dist, join(out, relative(dist, module))))}.js`;
  const found = exportTarget(manifest.exports[twin]);
  if (found !== expected) {
    missingTwins.push(
      `"${key}" reaches cdktf, so package.json needs exports "${twin}" → ${expected} (found: ${found ?? 'none'}), and typesVersions beside it`,
    );
  }
}
if (missingTwins.length > 0) {
  throw new Error(`export paths without a cdktn twin:\n${missingTwins.map((m) => `  ${m}`).join('\n')}`);
}

// 3. Rewrite.
const posix = posixOf;
const dotted = (p) => (p.startsWith('.') ? p : `./${p}`);
rmSync(out, { recursive: true, force: true });
for (const mod of bound) {
  const target = join(out, relative(dist, mod));
  for (const { file, text, specs } of modules.get(mod).files) {
    const written = join(out, relative(dist, file));
    let result = '';
    let at = 0;
    for (const { spec, start, end } of specs) {
      let replacement = spec;
      const mapped = mapPackage(spec);
      if (mapped === SHIM) {
        replacement = dotted(posix(relative(dirname(target), join(out, SHIM))));
      } else if (mapped !== undefined) {
        replacement = mapped;
      } else if (spec.startsWith('.')) {
        const local = resolveLocal(file, spec);
        const original = resolve(dirname(file), spec);
        // Bound modules sit at the same relative place under dist/cdktn; everything else (shared modules,
        // JSON files) is re-pointed at the original.
        if (local === undefined || !bound.has(local)) {
          replacement = dotted(posix(relative(dirname(written), original)));
        }
      }
      if (text.slice(start, end) !== spec) throw new Error(`${file}: cannot locate "${spec}" at ${start}`);
      result += text.slice(at, start) + replacement;
      at = end;
    }
    result += text.slice(at);
    mkdirSync(dirname(written), { recursive: true });
    writeFileSync(written, result);
  }
}

// The stand-in for @cdktf/provider-null: loading it is fine (the construct loads it only for
// resourceType 'null_resource'), using any of it throws the explanation.
const message =
  "resourceType 'null_resource' is not available with CDK Terrain (cdktn): it needs a prebuilt null provider " +
  'and only @cdktf/provider-null, for cdktf, exists (do not install it beside cdktn). ' +
  "Use the default resourceType 'terraform_data' (Terraform >= 1.4 or OpenTofu, no provider), " +
  "or import from 'cdktf-mongodb-invitations' in a cdktf app.";
writeFileSync(
  join(out, `${SHIM}.js`),
  `'use strict';
// Generated by scripts/build-cdktn.mjs: stands in for @cdktf/provider-null in the cdktn flavour.
const message = ${JSON.stringify(message)};
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      if (typeof key === 'symbol' || key === '__esModule' || key === 'then') return undefined;
      throw new Error(message);
    },
  },
);
`,
);
writeFileSync(
  join(out, `${SHIM}.d.ts`),
  '// Generated by scripts/build-cdktn.mjs: stands in for @cdktf/provider-null in the cdktn flavour.\n' +
    'declare const unavailable: any;\nexport = unavailable;\n',
);

// No cdktf name may survive in the flavour's code (comments aside, which tsc keeps in .d.ts files).
for (const mod of bound) {
  for (const { file } of modules.get(mod).files) {
    const written = join(out, relative(dist, file));
    for (const { spec } of specifiersOf(written).specs) {
      if (spec === 'cdktf' || spec.startsWith('cdktf/') || spec.startsWith('@cdktf/')) {
        throw new Error(`${written} still imports ${spec}`);
      }
    }
  }
}
// The stamp of the sources this build came from: the cdktn test project refuses a stale dist/.
const require = createRequire(import.meta.url);
const { sourceStamp, STAMP_NAME } = require('./source-stamp.cjs');
writeFileSync(join(out, STAMP_NAME), `${sourceStamp()}\n`);

console.log(
  `cdktn flavour: ${bound.size} modules rewritten into ${posix(relative(process.cwd(), out))}/, ${modules.size - bound.size} shared`,
);
