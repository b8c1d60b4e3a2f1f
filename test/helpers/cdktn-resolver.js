// Jest resolver of the "cdktn" project in jest.config.js: runs the construct tests, unchanged, against the
// CDK Terrain flavour that `npm run build` emits (dist/cdktn/, see scripts/build-cdktn.mjs).
// - `cdktf` and `cdktf/…` resolve to `cdktn` and `cdktn/…` everywhere: the tests' own App, TerraformStack,
//   Testing, … come from cdktn, as they would in a cdktn app.
// - `@cdktf/provider-null…` resolves to the flavour's stand-in, which explains that null_resource is cdktf-only.
// - A test's import of lib/<module> resolves to dist/cdktn/<module>.js when the build rewrote that module for
//   cdktn; modules that never touch cdktf are shared by both flavours and stay as they are.
/* eslint-disable @typescript-eslint/no-require-imports -- Jest loads resolvers with require() */
const fs = require('node:fs');
const path = require('node:path');
/* eslint-enable @typescript-eslint/no-require-imports */

const root = path.resolve(__dirname, '..', '..');
const flavour = path.join(root, 'dist', 'cdktn');
const lib = path.join(root, 'lib') + path.sep;
const tests = path.join(root, 'test') + path.sep;

// Without dist/cdktn the resolver still answers (Jest also resolves its own modules through it, for every
// project it configures, even when another is selected); the project's global setup refuses to run then
// (test/helpers/cdktn-fresh.js).
module.exports = (request, options) => {
  if (request === '@cdktf/provider-null' || request.startsWith('@cdktf/provider-null/')) {
    return path.join(flavour, 'provider-null-unavailable.js');
  }
  const mapped = request === 'cdktf' || request.startsWith('cdktf/') ? `cdktn${request.slice(5)}` : request;
  const resolved = options.defaultResolver(mapped, options);
  if (resolved.startsWith(lib) && options.basedir.startsWith(tests)) {
    const built = path.join(flavour, path.relative(lib, resolved)).replace(/\.ts$/, '.js');
    if (fs.existsSync(built)) return built;
  }
  return resolved;
};
