// Ops Manager / Cloud Manager: the same idea against the public API v1.0 of your own Ops Manager host.
// API keys (HTTP Digest) are read at apply time from MCLI_PUBLIC_API_KEY + MCLI_PRIVATE_API_KEY; this example
// renames them to OM_PUBLIC_KEY + OM_PRIVATE_KEY to show how several organizations live in one stack.
//
//   OPS_MANAGER_URL=https://ops.example.com:8443 npx cdktf synth     (or: npx tsx main.ts)
//   cd cdktf.out/stacks/ops-manager-invitations && terraform init && terraform apply
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { InvitationTarget, ProjectInvitations, type InvitationEntry } from 'cdktf-mongodb-invitations';

export interface OpsManagerInvitationsStackProps {
  readonly baseUrl: string;
  /** People (`username` + `roles`) or invitations adopted by id. */
  readonly invitations: readonly InvitationEntry[];
}

export class OpsManagerInvitationsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: OpsManagerInvitationsStackProps) {
    super(scope, id);
    // State beside the synthesized stack, so the directory can be moved as a whole. Use your team's
    // remote backend (S3, GCS, HCP Terraform, ...) in a real pipeline.
    new LocalBackend(this, { path: 'terraform.tfstate' });
    const team = new ProjectInvitations(this, 'dba-team', {
      target: InvitationTarget.opsManager({ baseUrl: props.baseUrl }),
      invitations: [],
      credentials: { publicKeyEnv: 'OM_PUBLIC_KEY', privateKeyEnv: 'OM_PRIVATE_KEY' },
    });
    for (const entry of props.invitations) team.add(entry);
  }
}

if (require.main === module) {
  const app = new App();
  new OpsManagerInvitationsStack(app, 'ops-manager-invitations', {
    baseUrl: process.env.OPS_MANAGER_URL ?? 'https://ops.example.com:8443',
    invitations: JSON.parse(
      readFileSync(process.env.INVITATIONS_FILE ?? join(__dirname, 'invitations.json'), 'utf8'),
    ) as OpsManagerInvitationsStackProps['invitations'],
  });
  app.synth();
}
