// Every Atlas request the person operations send (captured by sandboxProxy on its way to the sandbox) is
// checked against MongoDB's published OpenAPI excerpts, read at test time from the shared reference folder
// (never copied into the project: its licence is CC BY-NC-SA): path and method, path parameters, query
// parameters, Accept and Content-Type, and the request body against its schema (required, types, enums,
// patterns, no undeclared property). The parsers are fed responses built from the spec's schemas, so they
// read the spec's field names. `:addRole` / `:removeRole` are not in the excerpts: they are checked against
// the full spec's text when it is there.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as cloudUsers from '../../../lib/client/apis/atlas-cloud-users';
import * as invites from '../../../lib/client/apis/atlas-invites';
import { GROUP, objectId } from '../../helpers/ids';
import type { Call } from '../../helpers/sandbox-proxy';
import { bodyOf, closePeople, peopleClient, queryOf } from './people-client';

/** One request as the client sent it (through sandboxProxy, to the sandbox). */
interface Logged {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body?: unknown;
  status: number;
}

const logged = (c: Call): Logged => ({
  method: c.method,
  path: c.path,
  query: queryOf(c),
  headers: c.headers,
  ...(c.body === undefined || c.body === '' ? {} : { body: bodyOf(c) }),
  status: c.status,
});

type Schema = Record<string, unknown>;
type Spec = {
  paths: Record<string, Record<string, Schema>>;
  components: Record<string, Record<string, Schema>>;
};

const DIR = resolve(__dirname, '../../../../shared/reference/atlas-openapi');
const FILES = ['group-users-excerpt.json', 'invites-excerpt.json'];
const FULL = resolve(DIR, 'atlas-admin-api-v2-full.yaml');
const present = FILES.every((f) => existsSync(resolve(DIR, f)));
if (!present) {
  console.warn(`SKIPPED openapi-shapes: MongoDB's OpenAPI excerpts are not in ${DIR}`);
}
const specs: Spec[] = present
  ? FILES.map((f) => JSON.parse(readFileSync(resolve(DIR, f), 'utf8')) as Spec)
  : [];

function deref(spec: Spec, node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [, , kind, name] = ref.split('/');
  const found = spec.components[kind as string]?.[name as string];
  if (!found) throw new Error(`unresolved ${ref}`);
  return deref(spec, found);
}

/** Problems of `value` against `schema` (empty when it conforms). */
function validate(spec: Spec, schemaIn: Schema, value: unknown, at: string): string[] {
  const schema = deref(spec, schemaIn);
  const out: string[] = [];
  if (Array.isArray(schema.allOf))
    for (const s of schema.allOf as Schema[]) out.push(...validate(spec, s, value, at));
  const type = schema.type;
  if (type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return [...out, `${at}: not an object`];
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in value)) out.push(`${at}.${r}: required`);
    for (const [k, v] of Object.entries(value)) {
      const p = props[k];
      if (!p) out.push(`${at}.${k}: not declared by the schema`);
      else if (deref(spec, p).readOnly === true) out.push(`${at}.${k}: read-only`);
      else out.push(...validate(spec, p, v, `${at}.${k}`));
    }
  } else if (type === 'array') {
    if (!Array.isArray(value)) return [...out, `${at}: not an array`];
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      out.push(`${at}: fewer than minItems`);
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      out.push(`${at}: items not unique`);
    }
    value.forEach((v, i) => out.push(...validate(spec, (schema.items ?? {}) as Schema, v, `${at}[${i}]`)));
  } else if (type === 'string') {
    if (typeof value !== 'string') return [...out, `${at}: not a string`];
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) out.push(`${at}: not in the enum`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      out.push(`${at}: pattern`);
    if (schema.format === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
      out.push(`${at}: not an email`);
  } else if (type === 'integer') {
    if (!Number.isInteger(value)) return [...out, `${at}: not an integer`];
    const n = value as number;
    if (typeof schema.minimum === 'number' && n < schema.minimum) out.push(`${at}: below minimum`);
    if (typeof schema.maximum === 'number' && n > schema.maximum) out.push(`${at}: above maximum`);
  } else if (type === 'boolean' && typeof value !== 'boolean') out.push(`${at}: not a boolean`);
  return out;
}

/** The spec operation a logged request matches, with its path template's parameters. */
function operationOf(
  req: Logged,
): { spec: Spec; template: string; op: Schema; params: Record<string, string> } | undefined {
  for (const spec of specs) {
    for (const [template, item] of Object.entries(spec.paths)) {
      const names: string[] = [];
      const re = new RegExp(
        `^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/:]+)'))}$`,
      );
      const m = re.exec(req.path);
      const op = item[req.method.toLowerCase()];
      if (m && op)
        return { spec, template, op, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
    }
  }
  return undefined;
}

function checkAgainstSpec(req: Logged): string[] {
  const found = operationOf(req);
  if (!found) return [`${req.method} ${req.path}: no such operation in the excerpts`];
  const { spec, op, params } = found;
  const out: string[] = [];
  const declared = ((op.parameters ?? []) as Schema[]).map((p) => deref(spec, p));
  for (const [name, value] of Object.entries(params)) {
    const p = declared.find((d) => d.in === 'path' && d.name === name);
    if (!p) out.push(`path parameter ${name} not declared`);
    else out.push(...validate(spec, p.schema as Schema, value, `path.${name}`));
  }
  for (const name of new Set(req.query.keys())) {
    const p = declared.find((d) => d.in === 'query' && d.name === name);
    if (!p) {
      out.push(`query parameter ${name} not declared`);
      continue;
    }
    if (p.deprecated === true) out.push(`query parameter ${name} is deprecated`);
    const schema = deref(spec, p.schema as Schema);
    const values = req.query.getAll(name);
    if (schema.type === 'array') out.push(...validate(spec, schema, values, `query.${name}`));
    else {
      if (values.length !== 1) out.push(`query.${name}: repeated`);
      const v = values[0] as string;
      out.push(...validate(spec, schema, schema.type === 'integer' ? Number(v) : v, `query.${name}`));
    }
  }
  const accepts = Object.entries((op.responses ?? {}) as Record<string, Schema>)
    .filter(([code]) => code.startsWith('2'))
    .flatMap(([, r]) => Object.keys((deref(spec, r).content ?? {}) as object));
  if (!accepts.includes(req.headers.accept ?? ''))
    out.push(`Accept ${req.headers.accept} not among ${accepts.join(', ')}`);
  const body = op.requestBody as Schema | undefined;
  if (body) {
    const content = (body.content ?? {}) as Record<string, { schema: Schema }>;
    const media = content[req.headers['content-type'] ?? ''];
    if (!media)
      out.push(`Content-Type ${req.headers['content-type']} not among ${Object.keys(content).join(', ')}`);
    else out.push(...validate(spec, media.schema, req.body, 'body'));
  } else if (req.body !== undefined) out.push('a body where the spec has none');
  return out.map((p) => `${req.method} ${req.path}: ${p}`);
}

/** A value for every property of a (dereferenced, allOf-merged) schema. */
function sample(spec: Spec, schemaIn: Schema): Record<string, unknown> {
  const schema = deref(spec, schemaIn);
  const out: Record<string, unknown> = {};
  for (const s of (schema.allOf ?? []) as Schema[]) Object.assign(out, sample(spec, s));
  for (const [k, p0] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const p = deref(spec, p0);
    if (p.type === 'array') out[k] = ['GROUP_READ_ONLY'];
    else if (p.type === 'string' && Array.isArray(p.enum)) out[k] = p.enum[0];
    else if (p.type === 'string' && p.pattern === '^([a-f0-9]{24})$') out[k] = objectId();
    else if (p.type === 'string' && p.format === 'email') out[k] = `${k.toLowerCase()}@example.com`;
    else if (p.type === 'string') out[k] = `${k}-value`;
    else if (p.type === 'integer') out[k] = 3;
  }
  return out;
}

const propertiesOf = (spec: Spec, name: string): string[] =>
  Object.keys(sample(spec, { $ref: `#/components/schemas/${name}` }));

afterEach(closePeople);

(present ? describe : describe.skip)('request and response shapes against MongoDB’s OpenAPI spec', () => {
  it('sends only requests the spec describes, with bodies that match its schemas', async () => {
    const { client, calls, sandbox } = await peopleClient();
    await client.invitePerson(GROUP, { username: 'ana@example.com', roles: ['GROUP_READ_ONLY'] });
    await client.invitePerson(GROUP, { username: 'ana@example.com', roles: ['GROUP_OWNER'] });
    await client.invitePerson(GROUP, {
      username: 'bo@example.com',
      roles: ['GROUP_READ_ONLY'],
      api: 'invites',
    });
    await client.invitePerson(GROUP, { username: 'bo@example.com', roles: ['GROUP_OWNER'], api: 'invites' });
    await client.listPending(GROUP);
    await client.listMembers(GROUP);
    await client.revokePerson(GROUP, 'ana@example.com');
    await client.revokePerson(GROUP, 'bo@example.com', { removeAccepted: true });
    expect(sandbox.cloudUsers(GROUP)).toHaveLength(0);
    expect(sandbox.invitations('atlas', GROUP)).toHaveLength(0);
    const log = calls().map(logged);
    expect(log.every((l) => l.status < 300)).toBe(true);
    const kinds = new Set(log.map((l) => `${l.method} ${l.path.replace(/[a-f0-9]{24}/g, '{id}')}`));
    expect([...kinds].sort()).toEqual([
      'DELETE /api/atlas/v2/groups/{id}/invites/{id}',
      'DELETE /api/atlas/v2/groups/{id}/users/{id}',
      'GET /api/atlas/v2/groups/{id}/invites',
      'GET /api/atlas/v2/groups/{id}/users',
      'PATCH /api/atlas/v2/groups/{id}/invites/{id}',
      'POST /api/atlas/v2/groups/{id}/invites',
      'POST /api/atlas/v2/groups/{id}/users',
      'POST /api/atlas/v2/groups/{id}/users/{id}:addRole',
      'POST /api/atlas/v2/groups/{id}/users/{id}:removeRole',
    ]);
    const roleChanges = log.filter((l) => /:(add|remove)Role$/.test(l.path));
    const problems = log.filter((l) => !roleChanges.includes(l)).flatMap(checkAgainstSpec);
    expect(problems).toEqual([]);
    // Not in the excerpts: `{groupRole}` bodies with the 2025-02-19 media type, per the full spec.
    for (const l of roleChanges) {
      expect(Object.keys(l.body as object)).toEqual(['groupRole']);
      expect(l.headers['content-type']).toBe(cloudUsers.CLOUD_USERS_ACCEPT);
    }
    if (existsSync(FULL)) {
      const text = readFileSync(FULL, 'utf8');
      for (const change of ['addRole', 'removeRole']) {
        expect(text).toContain(`/api/atlas/v2/groups/{groupId}/users/{userId}:${change}:`);
      }
      expect(text).toMatch(/AddOrRemoveGroupRole:\s+properties:\s+groupRole:[\s\S]*?required:\s+- groupRole/);
    } else {
      console.warn(`:addRole/:removeRole not checked: ${FULL} is missing`);
    }
  });

  it('finds a mismatch when there is one (the checker itself can fail)', () => {
    const bad: Logged = {
      method: 'POST',
      path: `/api/atlas/v2/groups/${GROUP}/users`,
      query: new URLSearchParams('itemsPerPage=900'),
      headers: { accept: cloudUsers.CLOUD_USERS_ACCEPT, 'content-type': 'application/json' },
      body: { username: 'x', roles: [] },
      status: 201,
    };
    expect(checkAgainstSpec(bad).join('\n')).toMatch(
      /query parameter itemsPerPage not declared[\s\S]*Content-Type/,
    );
    const users = specs[0] as Spec;
    expect(
      validate(
        users,
        { $ref: '#/components/schemas/GroupUserRequest' },
        { roles: ['A', 'A'], extra: 1 },
        'b',
      ),
    ).toEqual(['b.username: required', 'b.roles: items not unique', 'b.extra: not declared by the schema']);
  });

  it('parses the spec’s field names: GroupInvitation', () => {
    const spec = specs[1] as Spec;
    const fields = propertiesOf(spec, 'GroupInvitation');
    for (const f of invites.INVITATION_FIELDS) expect(fields).toContain(f);
    const body = sample(spec, { $ref: '#/components/schemas/GroupInvitation' });
    expect(invites.parseInvite(body)).toEqual({
      api: 'invites',
      id: body.id,
      username: body.username,
      roles: body.roles,
      status: 'PENDING',
      createdAt: body.createdAt,
      expiresAt: body.expiresAt,
      inviterUsername: body.inviterUsername,
    });
    expect(invites.parseInvites([body])).toHaveLength(1);
  });

  it('parses the spec’s field names: GroupPendingUserResponse in a PaginatedGroupUserView', () => {
    const spec = specs[0] as Spec;
    const fields = propertiesOf(spec, 'GroupPendingUserResponse');
    for (const f of cloudUsers.USER_FIELDS) expect(fields).toContain(f);
    const pageFields = propertiesOf(spec, 'PaginatedGroupUserView');
    for (const f of cloudUsers.USER_PAGE_FIELDS) expect(pageFields).toContain(f);
    const user: Record<string, unknown> = {
      ...sample(spec, { $ref: '#/components/schemas/GroupPendingUserResponse' }),
      orgMembershipStatus: 'PENDING',
    };
    const page = cloudUsers.parseUsersPage({ results: [user], totalCount: 1, links: [] });
    expect(page).toEqual({
      size: 1,
      totalCount: 1,
      records: [
        {
          api: 'cloud-users',
          id: user.id,
          username: user.username,
          roles: user.roles,
          status: 'PENDING',
          createdAt: user.invitationCreatedAt,
          expiresAt: user.invitationExpiresAt,
          inviterUsername: user.inviterUsername,
        },
      ],
    });
    const statuses = (
      deref(spec, spec.components.schemas?.GroupUserResponse as Schema).properties as Record<string, Schema>
    ).orgMembershipStatus?.enum;
    expect(statuses).toEqual(['PENDING', 'ACTIVE', 'INVITATION_EXPIRED', 'INVITATION_REJECTED']);
  });
});
