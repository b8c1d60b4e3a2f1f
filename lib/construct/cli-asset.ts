// Ships the bundled revoke command into the synthesized stack directory as ONE TerraformAsset per stack.
// The asset is a child of the stack with a fixed id, so its relative path (assets/<id>/<hash>/…) never
// holds user text, and the stack directory works wherever it is copied: no absolute path is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetType, TerraformAsset, TerraformStack } from './cdk';
import type { IConstruct } from 'constructs';

/** The npm package name this file belongs to: the walk up from here stops at its package.json. */
const PACKAGE_NAME = 'cdktf-mongodb-invitations';
/** The bundled CLI, relative to the package root (built by `npm run build`). */
const CLI_BUNDLE = path.join('dist', 'mongodb-invitations.cjs');
/** The fixed construct id of the per-stack asset. */
const CLI_ASSET_ID = 'MongoDbInvitationsCli';

/**
 * Finds the bundled CLI by walking up from `startDir` to this package's package.json. Works from
 * `lib/construct/*.ts` (tests) and from `dist/construct/*.js` (installed package).
 */
export function locateCliBundle(startDir: string = __dirname): string {
  let dir = path.resolve(startDir);
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && readName(manifest) === PACKAGE_NAME) {
      const bundle = path.join(dir, CLI_BUNDLE);
      if (!fs.existsSync(bundle)) {
        throw new Error(
          `The bundled revoke command ${CLI_BUNDLE} is missing from ${PACKAGE_NAME}. ` +
            'In a clone of the repository, run "npm run build"; in an installed package, reinstall it.',
        );
      }
      return bundle;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `Cannot find the package.json of ${PACKAGE_NAME} above ${startDir}, so the bundled revoke command cannot be located. Reinstall the package.`,
      );
    }
    dir = parent;
  }
}

function readName(manifest: string): unknown {
  try {
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** The stack's single CLI asset, created on first use. */
export function cliAssetFor(scope: IConstruct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CLI_ASSET_ID);
  if (existing instanceof TerraformAsset) return existing;
  if (existing) {
    throw new Error(
      `The id "${CLI_ASSET_ID}" is reserved by ${PACKAGE_NAME} in each stack; rename your construct.`,
    );
  }
  return new TerraformAsset(stack, CLI_ASSET_ID, { path: locateCliBundle(), type: AssetType.FILE });
}
