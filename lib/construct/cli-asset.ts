// Ships the bundled CLI into the synthesized stack directory as ONE TerraformAsset per stack: the folder
// dist/provisioner (a small loader and the program beside it). A child of the stack with a fixed id, so its
// path (assets/<id>/<hash>/…) never holds user text and no absolute path is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AssetType, TerraformAsset, TerraformStack } from './cdk';
import type { IConstruct } from 'constructs';

/** The npm package name this file belongs to: the walk up from here stops at its package.json. */
const PACKAGE_NAME = 'cdktf-mongodb-invitations';
/** The folder the asset copies, relative to the package root (built by `npm run build`). */
const CLI_FOLDER = path.join('dist', 'provisioner');
/** The loader Terraform starts, inside that folder. */
const CLI_LOADER = 'mongodb-invitations.cjs';
const CLI_BUNDLE = path.join(CLI_FOLDER, CLI_LOADER);
/** The fixed construct id of the per-stack asset. */
const CLI_ASSET_ID = 'MongoDbInvitationsCli';

/**
 * Finds the bundled CLI's folder by walking up from `startDir` to this package's package.json. Works from
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
      return path.join(dir, CLI_FOLDER);
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

/** The stack's single CLI asset, created on first use; `cliPath`: the loader inside it, as Terraform runs it. */
export function cliAssetFor(scope: IConstruct): { asset: TerraformAsset; cliPath: string } {
  const asset = assetOf(scope);
  return { asset, cliPath: `${asset.path}/${CLI_LOADER}` };
}

function assetOf(scope: IConstruct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(CLI_ASSET_ID);
  if (existing instanceof TerraformAsset) return existing;
  if (existing) {
    throw new Error(
      `The id "${CLI_ASSET_ID}" is reserved by ${PACKAGE_NAME} in each stack; rename your construct.`,
    );
  }
  return new TerraformAsset(stack, CLI_ASSET_ID, { path: locateCliBundle(), type: AssetType.DIRECTORY });
}
