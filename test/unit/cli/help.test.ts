// The usage texts are checked against what the CLI really does (the flags its parser accepts, the
// variables it reads), never against a copy of themselves: lib/cli/help.ts is the one source.
import { commandHelp, HELP, type HelpTopic } from '../../../lib/cli/help';
import { resolveSettings } from '../../../lib/cli/options';
import { parsePlanSummaryFlags } from '../../../lib/cli/plan-summary/command';
import { run } from '../../../lib/cli/run';
import { ambientName, CLI_ENV, CREDENTIAL_SETTINGS, ENTRY_KEYS } from '../../../lib/contract/keys';
import { captureIo } from '../../helpers/io';

const TOPICS = ['invite', 'revoke', 'list'] as const satisfies readonly HelpTopic[];
const ALL_TEXTS = [HELP, ...TOPICS.map(commandHelp)];

const flagsIn = (text: string): string[] =>
  [...text.matchAll(/--([a-z][a-z-]*[a-z])/g)].map((m) => m[1] as string);

/**
 * Flags worth probing: every flag any usage text names, every entry key spelled as a flag, and a few
 * a parser might take without saying so. The parser itself decides which of them a command accepts.
 */
const CANDIDATES = [
  ...new Set([
    ...ALL_TEXTS.flatMap(flagsIn),
    ...ENTRY_KEYS.map((k) => k.replace(/_/g, '-')),
    ...['json', 'debug', 'help', 'version', 'verbose', 'quiet', 'yes', 'force', 'dry-run', 'env', 'http'],
  ]),
].sort();

/** Whether the parser of a command knows a flag (its value and the rest may still be refused). */
function accepts(command: (typeof TOPICS)[number], flag: string): boolean {
  try {
    resolveSettings(command, [`--${flag}=x`], {});
  } catch (err) {
    return !(err as Error).message.includes(`Unknown option '--${flag}'`);
  }
  return true;
}

describe('help', () => {
  it.each([['--help'], ['-h'], ['help']])('prints HELP on stdout with exit 0 for %p', async (...argv) => {
    const c = captureIo();
    await expect(run(argv, {}, c.io)).resolves.toBe(0);
    expect(c.stdout()).toBe(HELP);
    expect(c.stderr()).toBe('');
  });

  it.each(TOPICS.flatMap((t) => [[t, '--help'] as const, [t, '-h'] as const]))(
    'prints the command’s own usage for %s %s, whatever else is given',
    async (command, flag) => {
      const c = captureIo();
      await expect(run([command, '--target', 'nope', flag], {}, c.io)).resolves.toBe(0);
      expect(c.stdout()).toBe(commandHelp(command));
      expect(c.stderr()).toBe('');
    },
  );

  it('gives each command its own text, different from the others and from HELP', () => {
    const texts = [HELP, ...TOPICS.map(commandHelp)];
    expect(new Set(texts).size).toBe(texts.length);
    expect(commandHelp('revoke')).not.toBe(commandHelp('list'));
    for (const topic of TOPICS)
      expect(commandHelp(topic)).toMatch(new RegExp(`^Usage: mongodb-invitations ${topic} `));
  });

  it('probes a parser that refuses what it does not know (the probe itself works)', () => {
    expect(accepts('revoke', 'invitation-id')).toBe(true);
    expect(accepts('revoke', 'no-such-flag')).toBe(false);
    expect(accepts('list', 'invitation-id')).toBe(false);
  });

  it.each(TOPICS)('names, in "%s --help", every flag that command accepts', (topic) => {
    const documented = new Set(flagsIn(commandHelp(topic)));
    const acceptedFlags = CANDIDATES.filter((f) => accepts(topic, f));
    expect(acceptedFlags).toEqual(expect.arrayContaining(['target', 'group-id', 'json', 'help']));
    expect(acceptedFlags.filter((f) => !documented.has(f))).toEqual([]);
  });

  it('lists every command in HELP', () => {
    for (const command of [...TOPICS, 'audit', 'plan-summary', 'sandbox'])
      expect(HELP).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('names in HELP every variable the CLI reads', () => {
    // The credential renames may be written as one family: MONGODB_INVITATIONS_CLIENT_ID_ENV, _CLIENT_SECRET_ENV, …
    const renames = new Set<string>(Object.values(CREDENTIAL_SETTINGS));
    const missing = ENTRY_KEYS.map((key) => ({ key, name: ambientName(key) }))
      .filter(({ key, name }) => {
        if (HELP.includes(name)) return false;
        return !(renames.has(key) && HELP.includes(name.replace('MONGODB_INVITATIONS', '')));
      })
      .map(({ name }) => name);
    for (const name of Object.values(CLI_ENV)) if (!HELP.includes(name)) missing.push(name);
    expect(missing).toEqual([]);
  });

  it.each([['HELP', HELP], ...TOPICS.map((t) => [`${t} --help`, commandHelp(t)])])(
    'keeps every line of %s within 100 characters',
    (_name, text) => {
      expect(text.split('\n').filter((line) => line.length > 100)).toEqual([]);
    },
  );

  it('prints plan-summary’s own usage, naming each of its flags and no credential', async () => {
    for (const flag of ['--help', '-h']) {
      const c = captureIo();
      await expect(run(['plan-summary', 'plan.json', flag], {}, c.io)).resolves.toBe(0);
      expect(c.stdout()).toBe(commandHelp('plan-summary'));
    }
    const text = commandHelp('plan-summary');
    expect(text).toMatch(/^Usage: mongodb-invitations plan-summary PLAN_JSON\|- \[--json\]\n/);
    const accepted = CANDIDATES.filter((f) => {
      try {
        parsePlanSummaryFlags(['plan.json', `--${f}`]);
        return true;
      } catch {
        return false;
      }
    });
    expect(accepted).toEqual(['debug', 'help', 'json']);
    expect(accepted.filter((f) => !flagsIn(text).includes(f))).toEqual([]);
    expect(text).not.toContain('MONGODB_ATLAS_CLIENT_ID');
    expect(text.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });

  it('prints the package version for --version', async () => {
    const c = captureIo();
    await expect(run(['--version'], {}, c.io)).resolves.toBe(0);
    expect(c.stdout()).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with a pointer to --help for no command or an unknown one', async () => {
    for (const argv of [[], ['revok']]) {
      const c = captureIo();
      await expect(run(argv, {}, c.io)).resolves.toBe(2);
      expect(c.stderr()).toMatch(
        /^✖ .*(no command|unknown command "revok" \(did you mean "revoke"\?\)): use invite, revoke, list, audit, plan-summary or sandbox.*mongodb-invitations --help/,
      );
      expect(c.stdout()).toBe('');
    }
  });

  it('points a refused flag to the command’s own --help', async () => {
    const c = captureIo();
    await expect(run(['list', '--invitation-id', 'x'], {}, c.io)).resolves.toBe(2);
    expect(c.stderr()).toMatch(
      /^✖ list: Unknown option '--invitation-id'; run "mongodb-invitations list --help"/,
    );
  });
});
