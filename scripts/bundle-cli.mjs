// Builds the CLI as one self-contained program, dist/provisioner/mongodb-invitations.program.cjs, with two
// small loaders: dist/provisioner/mongodb-invitations.cjs (the stack's asset: that folder, which Terraform
// starts once per entry) and dist/mongodb-invitations.cjs (the package's bin, with a --debug source map).
// node:http by default, deep undici imports, --liftoff-only, a V8 code cache beside each loader.
// Why each, with figures: docs/decisions/0002-bundle-start-up.md, bench/cli.md and bench/throughput.md.
// Usage: node scripts/bundle-cli.mjs [--outfile FILE] [--no-liftoff] [--no-code-cache] [--no-lazy-http2]
//        [--bundle-undici]   (flags for the benchmarks' variants; by default undici stays out of the bundle
//        and is required from the installed package when MONGODB_INVITATIONS_HTTP=undici asks for it).
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const { values } = parseArgs({
  options: {
    outfile: { type: 'string', default: 'dist/mongodb-invitations.cjs' },
    'no-liftoff': { type: 'boolean', default: false },
    'no-code-cache': { type: 'boolean', default: false },
    'no-lazy-http2': { type: 'boolean', default: false },
    'bundle-undici': { type: 'boolean', default: false },
  },
});

// undici's Client requires its HTTP/2 module at load time, and that module requires node:http2 (which
// pulls in tls, fs/promises and readline: ~5 ms). HTTP/2 is only used when a server negotiates it over
// TLS with allowH2, which this client never sets; so the bundle loads it on first use instead.
const lazyHttp2 = {
  name: 'lazy-undici-client-h2',
  setup(b) {
    b.onResolve({ filter: /^\.\/client-h2\.js$/ }, (args) => {
      if (!/undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/.test(args.importer)) return undefined;
      return { path: join(args.resolveDir, 'client-h2.js'), namespace: 'lazy-h2' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-h2' }, (args) => ({
      contents:
        'let real;\n' +
        'module.exports = function connectH2(client, socket) {\n' +
        `  real ??= require(${JSON.stringify(args.path)});\n` +
        '  return real.call(this, client, socket);\n' +
        '};\n',
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

// `--liftoff-only` (see 2. above), prepended to undici's Client module: it runs when that module is first
// required, before llhttp's WebAssembly is compiled (on the first connection).
const liftoffBeforeUndici = {
  name: 'liftoff-before-undici',
  setup(b) {
    b.onLoad({ filter: /undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/ }, (args) => ({
      contents:
        "require('node:v8').setFlagsFromString('--liftoff-only');\n" + readFileSync(args.path, 'utf8'),
      loader: 'js',
      resolveDir: dirname(args.path),
    }));
  },
};

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const result = await build({
  entryPoints: ['lib/cli/main.ts'],
  bundle: true,
  write: false,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: values.outfile,
  sourcemap: 'external',
  sourcesContent: false,
  minify: true,
  legalComments: 'none',
  define: { MONGODB_INVITATIONS_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
  // undici is 286 KB of a 455 KB bundle and serves only the opt-in MONGODB_INVITATIONS_HTTP=undici: left out,
  // every provisioner process starts ~30 ms sooner (docs/decisions/0011-undici-outside-the-cli-bundle.md).
  ...(values['bundle-undici'] ? {} : { external: ['undici', 'undici/*'] }),
  plugins: [
    ...(values['no-lazy-http2'] ? [] : [lazyHttp2]),
    ...(values['no-liftoff'] ? [] : [liftoffBeforeUndici]),
  ],
});
const program = result.outputFiles.find((f) => !f.path.endsWith('.map')).text;
const sourceMap = JSON.parse(result.outputFiles.find((f) => f.path.endsWith('.map')).text);
// The map ships in the package: it must not name the build machine's directories. Plugin modules are
// named "<namespace>:<absolute path>"; make those relative too.
const outDir = resolve(dirname(values.outfile));
sourceMap.sources = sourceMap.sources.map((source) =>
  source.replace(/^([\w-]+):(\/.*)$/, (_m, namespace, path) => `${namespace}:${relative(outDir, path)}`),
);
for (const source of sourceMap.sources) {
  const path = source.replace(/^[\w-]+:/, '');
  if (isAbsolute(path) || /^[a-z]+:\/\//i.test(source) || source.includes(process.cwd())) {
    throw new Error(`the source map names an absolute path: ${source}`);
  }
}
const MAP_NAME = `${basename(values.outfile)}.map`;
if (/\bimport\(/.test(program))
  throw new Error('the bundle still holds a dynamic import(): the loader cannot run it');
// The loaders read the program as latin1 (a one-byte string, the cheapest read): it must be ASCII, which
// esbuild's default charset gives (it escapes anything else).
if (Buffer.byteLength(program) !== program.length) {
  throw new Error('the program is not ASCII: the loaders cannot read it as latin1');
}

// The loader, emitted as source text (Function.prototype.toString). Plain ES2022, CommonJS scope. The
// program is its own file beside it: Node then reads and compiles a ~1 KB entry file, and the loader reads
// the program once, as latin1, for vm.Script (bench/throughput.md, "A program beside a small loader").
/* eslint-disable @typescript-eslint/no-require-imports, no-redeclare -- runs in the loader's CommonJS scope */
/* global __filename, __dirname */
function loader(programPath, hash, mapName) {
  const fs = require('node:fs');
  const programFile = require('node:path').join(__dirname, programPath);
  const source = fs.readFileSync(programFile, 'latin1');
  if (process.argv.includes('--debug') && typeof process.setSourceMapsEnabled === 'function') {
    // Stack traces that name the sources: compiled as a module, which Node maps (a vm.Script it does not).
    process.setSourceMapsEnabled(true);
    module._compile(mapName ? `${source}\n//# sourceMappingURL=${mapName}\n` : source, __filename);
    return;
  }
  const vm = require('node:vm');
  const file = `${__filename}.${hash}.v8-cache`;
  const useCache = process.env.MONGODB_INVITATIONS_CODE_CACHE !== 'off';
  let cachedData;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      // no cache yet, or unreadable: compile as usual
    }
  }
  // Module.wrap's text, written out: requiring node:module would load the ESM loader for nothing.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: programFile, cachedData });
  if (useCache && (cachedData === undefined || script.cachedDataRejected)) {
    // Written at exit, so the functions this run compiled lazily are in the cache too.
    process.once('exit', () => {
      const temp = `${file}.${process.pid}.tmp`;
      try {
        fs.writeFileSync(temp, script.createCachedData(), { mode: 0o644 });
        fs.renameSync(temp, file);
      } catch {
        try {
          fs.unlinkSync(temp);
        } catch {
          // nothing was written
        }
      }
    });
  }
  script.runInThisContext()(module.exports, require, module, __filename, __dirname);
}
/* eslint-enable @typescript-eslint/no-require-imports, no-redeclare */

const hash = createHash('sha256').update(program).digest('hex').slice(0, 16);
const banner =
  '#!/usr/bin/env node\n// mongodb-invitations (cdktf-mongodb-invitations) CLI; see scripts/bundle-cli.mjs.\n';
const loaderFile = (programPath, mapName) =>
  `${banner}'use strict';\n(${loader.toString()})(${JSON.stringify(programPath)}, ${JSON.stringify(hash)}, ${JSON.stringify(mapName)});\n`;

const outDirOf = dirname(values.outfile);
const base = basename(values.outfile, '.cjs');
// The folder the construct ships as its asset: the loader and the program, nothing else.
const provisionerDir = join(outDirOf, 'provisioner');
const PROGRAM_NAME = `${base}.program.cjs`;
mkdirSync(outDirOf, { recursive: true });
// Caches of earlier builds are stale (their hash differs): never ship them.
for (const dir of [outDirOf, provisionerDir]) {
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    if (name.startsWith(`${basename(values.outfile)}.`) && name.endsWith('.v8-cache')) {
      rmSync(join(dir, name), { force: true });
    }
  }
}
if (values['no-code-cache']) {
  // The benchmarks' variant: the program alone, as one file, compiled by Node like any script.
  writeFileSync(values.outfile, `${banner}'use strict';\n${program}`);
  // The program starts on line 3: shift the map by the banner's two lines.
  sourceMap.mappings = `;;${sourceMap.mappings}`;
} else {
  rmSync(provisionerDir, { recursive: true, force: true });
  mkdirSync(provisionerDir, { recursive: true });
  writeFileSync(join(provisionerDir, PROGRAM_NAME), program);
  writeFileSync(join(provisionerDir, basename(values.outfile)), loaderFile(PROGRAM_NAME, null));
  chmodSync(join(provisionerDir, basename(values.outfile)), 0o755);
  writeFileSync(values.outfile, loaderFile(`provisioner/${PROGRAM_NAME}`, MAP_NAME));
}
// The map is the bin's (the asset ships none): it sits beside dist/mongodb-invitations.cjs.
writeFileSync(`${values.outfile}.map`, JSON.stringify(sourceMap));
chmodSync(values.outfile, 0o755);
