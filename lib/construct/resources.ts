// The two resource types of the stack-wide blocks: terraform_data as a plain TerraformResource (cdktf's
// DataResource runs `terraform version` at synth), null_resource from the optional @cdktf/provider-null,
// its provider added once per stack. docs/decisions/0003-one-stack-wide-block.md
import {
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  type ITerraformIterator,
  type LocalExecProvisioner,
  loadProviderNull,
} from './cdk';
import type { Construct, IConstruct } from 'constructs';

/** A value of one resource: one Terraform expression (`${…}`) that yields an object of strings. */
export type ObjectExpression = string;

interface DataResourceConfig {
  readonly forEach: ITerraformIterator;
  readonly triggersReplace: ObjectExpression;
  readonly input: ObjectExpression;
  readonly provisioners: LocalExecProvisioner[];
}

/** `terraform_data` with identity in `triggers_replace` and everything else in `input`. */
export class InvitationsDataResource extends TerraformResource {
  private readonly triggersReplace: ObjectExpression;
  private readonly input: ObjectExpression;

  constructor(scope: Construct, id: string, config: DataResourceConfig) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      forEach: config.forEach,
      provisioners: config.provisioners,
    });
    this.triggersReplace = config.triggersReplace;
    this.input = config.input;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { input: this.input, triggers_replace: this.triggersReplace };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    return { input: this.input, triggers_replace: this.triggersReplace };
  }
}

interface NullResourceConfig {
  readonly forEach: ITerraformIterator;
  readonly triggers: ObjectExpression;
  readonly provisioners: LocalExecProvisioner[];
}

/** The fixed id of the null provider this library adds when the stack has none. */
const NULL_PROVIDER_ID = 'MongoDbInvitationsNullProvider';

/** Default (alias-less) `null` provider configurations in the stack. */
export function defaultNullProviders(scope: IConstruct): TerraformProvider[] {
  return TerraformStack.of(scope)
    .node.findAll()
    .filter(
      (c): c is TerraformProvider =>
        c instanceof TerraformProvider && c.terraformResourceType === 'null' && !c.alias,
    );
}

/** `null_resource` with every value in `triggers`; adds the stack's `null` provider unless one exists. */
export function createNullResource(
  scope: Construct,
  id: string,
  config: NullResourceConfig,
): TerraformResource {
  const mod = loadProviderNull();
  const stack = TerraformStack.of(scope);
  if (defaultNullProviders(stack).length === 0 && !stack.node.tryFindChild(NULL_PROVIDER_ID)) {
    new mod.provider.NullProvider(stack, NULL_PROVIDER_ID);
  }
  return new mod.resource.Resource(scope, id, {
    forEach: config.forEach,
    // The provider's type is a map of strings; the expression yields one (Token.asStringMap keeps it whole).
    triggers: Token.asStringMap(config.triggers),
    provisioners: config.provisioners,
  });
}
