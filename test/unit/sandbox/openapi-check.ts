// A small checker for the JSON-schema subset MongoDB's OpenAPI excerpts use: $ref, type, nullable,
// required, properties, items, enum, pattern, format (date-time, email), minItems, uniqueItems, allOf,
// oneOf with a discriminator. Written here (no dependency) so that a test can hold the sandbox's answers
// against MongoDB's own description of the API, read at test time from the shared reference files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type Schema = Record<string, unknown>;
export type OpenApi = {
  paths: Record<string, Record<string, Schema>>;
  components: Record<string, Record<string, Schema>>;
};

/** Finds `shared/reference/atlas-openapi/<file>` beside the clone (or beside one of its parents). */
export function findReference(file: string): string | undefined {
  let dir = resolve(__dirname, '../../..');
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, '..', 'shared', 'reference', 'atlas-openapi', file);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

export function loadSpec(path: string): OpenApi {
  return JSON.parse(readFileSync(path, 'utf8')) as OpenApi;
}

function deref(spec: OpenApi, schema: Schema): Schema {
  let current = schema;
  for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(current.$ref) ?? [];
    const next = section && name ? spec.components[section]?.[name] : undefined;
    if (!next) throw new Error(`unresolved $ref ${current.$ref}`);
    current = next;
  }
  return current;
}

/** The schema of one response of one operation, for one media type (the first when none is named). */
export function responseSchema(
  spec: OpenApi,
  path: string,
  method: string,
  status: string,
  media?: string,
): Schema {
  const operation = spec.paths[path]?.[method] as { responses?: Record<string, Schema> } | undefined;
  const response = operation?.responses?.[status];
  if (!response) throw new Error(`no ${status} response for ${method} ${path}`);
  const content = deref(spec, response).content as Record<string, { schema: Schema }>;
  const entry = media === undefined ? Object.values(content)[0] : content[media];
  if (!entry) throw new Error(`no ${media ?? 'content'} for ${status} of ${method} ${path}`);
  return entry.schema;
}

const FORMATS: Record<string, RegExp> = {
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  email: /^[^\s@]+@[^\s@]+$/,
};

function typeOk(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

/** Every way `value` breaks `schema` ("" when none), as `path: problem` lines. */
export function check(
  spec: OpenApi,
  schema: Schema,
  value: unknown,
  path = '$',
  seen = new Set<Schema>(),
): string[] {
  const s = deref(spec, schema);
  if (value === null) return s.nullable === true ? [] : [`${path}: null is not allowed`];
  const problems: string[] = [];
  for (const part of (s.allOf as Schema[] | undefined) ?? [])
    problems.push(...check(spec, part, value, path, seen));
  const discriminator = s.discriminator as
    { propertyName: string; mapping: Record<string, string> } | undefined;
  if (s.oneOf && !seen.has(s)) {
    const inner = new Set(seen).add(s);
    if (discriminator) {
      const key = (value as Record<string, unknown>)[discriminator.propertyName];
      const target = typeof key === 'string' ? discriminator.mapping[key] : undefined;
      if (!target) problems.push(`${path}.${discriminator.propertyName}: no mapping for ${String(key)}`);
      else problems.push(...check(spec, { $ref: target }, value, path, inner));
    } else {
      const matches = (s.oneOf as Schema[]).filter((o) => check(spec, o, value, path, inner).length === 0);
      if (matches.length !== 1) problems.push(`${path}: matches ${matches.length} of oneOf, not exactly 1`);
    }
  }
  if (s.type !== undefined && !typeOk(s.type, value)) return [...problems, `${path}: not ${String(s.type)}`];
  if (Array.isArray(s.enum) && !s.enum.includes(value))
    problems.push(`${path}: ${String(value)} not in enum`);
  if (typeof value === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) {
      problems.push(`${path}: ${value} does not match ${s.pattern}`);
    }
    const format = typeof s.format === 'string' ? FORMATS[s.format] : undefined;
    if (format && !format.test(value)) problems.push(`${path}: ${value} is not ${String(s.format)}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      problems.push(`${path}: fewer than ${s.minItems} items`);
    if (s.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      problems.push(`${path}: items repeat`);
    }
    if (s.items)
      value.forEach((item, i) =>
        problems.push(...check(spec, s.items as Schema, item, `${path}[${i}]`, seen)),
      );
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const name of (s.required as string[] | undefined) ?? []) {
      if (!(name in record)) problems.push(`${path}.${name}: required`);
    }
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const [name, sub] of Object.entries(properties)) {
      if (name in record) problems.push(...check(spec, sub, record[name], `${path}.${name}`, seen));
    }
  }
  return problems;
}
