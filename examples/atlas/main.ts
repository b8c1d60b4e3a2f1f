// Atlas: who is invited to which project with which roles, declared in invitations.json. A pull request
// that adds a person invites them on apply; one that removes a person shows that person's key "will be
// destroyed" in `terraform plan`, and the apply cancels their pending invitation (Cloud Users API).
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
import { InvitationTarget, ProjectInvitations, type InvitationEntry } from 'cdktf-mongodb-invitations';

/** One entry of invitations.json: a person (`username` + `roles`), or an invitation adopted by id. */
export type DeclaredInvitation = InvitationEntry;

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
      invitations: [...props.invitations],
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
