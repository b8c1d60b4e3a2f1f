// Synthesizes every example in one app, for the repository's top-level cdktf.json (`npx cdktf synth`).
import { join } from 'node:path';
import { App } from 'cdktf';
import { AtlasInvitationsStack, readDeclared } from './atlas/main';
import { OpsManagerInvitationsStack } from './ops-manager/main';

const app = new App();
new AtlasInvitationsStack(app, 'atlas-invitations', {
  invitations: readDeclared(join(__dirname, 'atlas', 'invitations.json')),
  baseUrl: process.env.MONGODB_ATLAS_BASE_URL,
});
new OpsManagerInvitationsStack(app, 'ops-manager-invitations', {
  baseUrl: process.env.OPS_MANAGER_URL ?? 'https://ops.example.com:8443',
  invitations: readDeclared(join(__dirname, 'ops-manager', 'invitations.json')),
});
app.synth();
