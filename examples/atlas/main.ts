// Atlas: the pending invitations a team still wants, declared in invitations.json. A pull request that
// removes an entry is the whole change: `terraform plan` shows that one key "will be destroyed" and the
// apply cancels the invitation through the Atlas Admin API.
//
//   npx cdktf synth                      (or: npx tsx main.ts)
//   cd cdktf.out/stacks/atlas-invitations && terraform init && terraform apply
//
// Credentials come from the environment of whoever runs `terraform apply`, never from this file:
// MONGODB_ATLAS_CLIENT_ID + MONGODB_ATLAS_CLIENT_SECRET (service account), or
// MONGODB_ATLAS_PUBLIC_API_KEY + MONGODB_ATLAS_PRIVATE_API_KEY (API key).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { InvitationTarget, ProjectInvitations } from 'cdktf-mongodb-invitations';

export interface DeclaredInvitation {
  readonly groupId: string;
  readonly invitationId: string;
  /** Who was invited: for reviewers only, never sent anywhere. */
  readonly username?: string;
}

export interface AtlasInvitationsStackProps {
  /** The declared set. */
  readonly invitations: readonly DeclaredInvitation[];
  /** Atlas base URL; unset means https://cloud.mongodb.com. */
  readonly baseUrl?: string;
}

export class AtlasInvitationsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AtlasInvitationsStackProps) {
    super(scope, id);
    // State beside the synthesized stack, so the directory can be moved as a whole. Use your team's
    // remote backend (S3, GCS, HCP Terraform, ...) in a real pipeline.
    new LocalBackend(this, { path: 'terraform.tfstate' });
    new ProjectInvitations(this, 'platform-team', {
      target: InvitationTarget.atlas({ baseUrl: props.baseUrl }),
      invitations: props.invitations.map(({ groupId, invitationId }) => ({ groupId, invitationId })),
    });
  }
}

export function readDeclared(file: string): DeclaredInvitation[] {
  return JSON.parse(readFileSync(file, 'utf8')) as DeclaredInvitation[];
}

if (require.main === module) {
  const app = new App();
  new AtlasInvitationsStack(app, 'atlas-invitations', {
    invitations: readDeclared(process.env.INVITATIONS_FILE ?? join(__dirname, 'invitations.json')),
    baseUrl: process.env.MONGODB_ATLAS_BASE_URL,
  });
  app.synth();
}
