// `audit`'s command line: which stacks, which projects (`--group-id`, read with `--target`, `--base-url` and
// the usual variables, as `list` reads them), what to do with the findings (one of --adopt, --prune,
// --reinvite) and how to print them (--json, --format). Throws UsageError (exit 2).
import { parseArgs } from 'node:util';
import { ambientName } from '../../contract/keys';
import { quote } from '../../contract/rules';
import { checkArguments, firstSentence, resolveSettings, UsageError } from '../options';
import type { NamedProject } from './projects';

export interface AuditFlags {
  readonly stacks: string[];
  readonly groupIds: string[];
  readonly target: string | undefined;
  readonly baseUrl: string | undefined;
  readonly json: boolean;
  readonly exitCode: boolean;
  readonly adopt: string | undefined;
  readonly merge: boolean;
  readonly prune: boolean;
  readonly reinvite: boolean;
  readonly yes: boolean;
  /** How the findings are printed: text lines (default) or one markdown report (--format markdown). */
  readonly format: AuditFormat;
}

export const AUDIT_FORMATS = ['text', 'markdown'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** Parses audit's arguments. Throws UsageError. */
export function parseAuditFlags(args: string[]): AuditFlags {
  checkArguments(args);
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        'group-id': { type: 'string', multiple: true },
        target: { type: 'string' },
        'base-url': { type: 'string' },
        json: { type: 'boolean' },
        'exit-code': { type: 'boolean' },
        adopt: { type: 'string' },
        merge: { type: 'boolean' },
        prune: { type: 'boolean' },
        reinvite: { type: 'boolean' },
        format: { type: 'string' },
        yes: { type: 'boolean' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    const first = firstSentence(err);
    throw new UsageError(`audit: ${first}; run "mongodb-invitations audit --help" for the usage`);
  }
  const v = parsed.values;
  const actions = [
    v.prune === true ? '--prune' : '',
    v.reinvite === true ? '--reinvite' : '',
    v.adopt !== undefined ? '--adopt' : '',
  ].filter((a) => a !== '');
  if (actions.length > 1) {
    throw new UsageError(`audit: ${actions.join(' and ')} go one at a time: choose one`);
  }
  if (v.yes === true && v.prune !== true && v.reinvite !== true) {
    throw new UsageError('audit: --yes goes with --prune or --reinvite');
  }
  const format = v.format ?? 'text';
  if (!(AUDIT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`audit: --format must be ${AUDIT_FORMATS.join(' or ')} (value: ${quote(format)})`);
  }
  if (format === 'markdown' && v.json === true) {
    throw new UsageError('audit: --format markdown and --json both write the findings to stdout: choose one');
  }
  if (format === 'markdown' && v.adopt === '-') {
    throw new UsageError('audit: --format markdown and --adopt - both write to stdout: choose one');
  }
  if (v.adopt === '') throw new UsageError('audit: --adopt needs a file name');
  if (v.merge === true && (v.adopt === undefined || v.adopt === '-')) {
    throw new UsageError('audit: --merge goes with --adopt FILE');
  }
  if (v.adopt === '-' && v.json === true) {
    throw new UsageError('audit: --adopt - and --json both write to stdout: choose one');
  }
  const groupIds = v['group-id'] ?? [];
  if (groupIds.length === 0 && (v.target !== undefined || v['base-url'] !== undefined)) {
    throw new UsageError('audit: --target and --base-url go with --group-id');
  }
  return {
    stacks: parsed.positionals,
    groupIds,
    target: v.target,
    baseUrl: v['base-url'],
    json: v.json === true,
    exitCode: v['exit-code'] === true,
    adopt: v.adopt,
    merge: v.merge === true,
    prune: v.prune === true,
    reinvite: v.reinvite === true,
    yes: v.yes === true,
    format: format as AuditFormat,
  };
}

/** The projects of `--group-id`, read with the flags and the ambient variables (as `list` would). */
export function namedProjects(flags: AuditFlags, env: NodeJS.ProcessEnv): NamedProject[] {
  return flags.groupIds.map((groupId) => {
    const target = flags.target ?? (env[ambientName('target')] ? undefined : 'atlas');
    const args = [
      '--group-id',
      groupId,
      ...(target === undefined ? [] : ['--target', target]),
      ...(flags.baseUrl === undefined ? [] : ['--base-url', flags.baseUrl]),
      ...(flags.json ? ['--json'] : []),
    ];
    try {
      return { settings: resolveSettings('list', args, env) };
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`audit: ${err.message}`);
      throw err;
    }
  });
}
