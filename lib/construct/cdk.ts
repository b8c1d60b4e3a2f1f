// The one seam between lib/construct and cdktf: every cdktf (and @cdktf/provider-null) name the construct
// uses is re-exported here, so the CDK Terrain flavour (scripts/build-cdktn.mjs) rewrites one import.
// Lint keeps every other file of lib/ off cdktf (eslint.config.mjs, CDKTF_IMPORTERS).
export {
  Annotations,
  AssetType,
  DefaultTokenResolver,
  Lazy,
  StringConcat,
  TerraformAsset,
  TerraformIterator,
  TerraformLocal,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
  type ITerraformIterator,
  type LocalExecProvisioner,
} from 'cdktf';

/** The optional peer dependency behind `resourceType: 'null_resource'`. */
export type NullModule = typeof import('@cdktf/provider-null');

/** Loads @cdktf/provider-null, only for `resourceType: 'null_resource'`; says how to get it when missing. */
export function loadProviderNull(): NullModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer dependency, loaded only for resourceType 'null_resource'
    return require('@cdktf/provider-null') as NullModule;
  } catch (error) {
    throw new Error(
      "resourceType 'null_resource' needs the optional peer dependency @cdktf/provider-null: run \"npm install @cdktf/provider-null\", or use the default resourceType 'terraform_data' (Terraform >= 1.4).",
      { cause: error },
    );
  }
}
