// One human line per outcome on stderr (✔ ✖ ⚠) or one JSON object on stdout; exit codes; traces with --debug.
// Second line of defence: secrets read by this process are redacted (inside JSON string values), and server
// text shows control characters escaped so it cannot forge lines. docs/decisions/0010-redaction-by-value.md
import { createRedactor, type Redact } from '../client/http/redact';
import { ExitCode, exitCodeOf } from '../contract/errors';
import { CONTROL_CHARACTERS } from '../contract/rules';
import type { CliIo } from './io';

export type JsonValue =
  string | number | boolean | null | undefined | JsonValue[] | { [k: string]: JsonValue };

/** 2 for bad usage or configuration (nothing was sent), 1 for everything else. Matches on `code`. */
export function exitCodeFor(err: unknown): typeof ExitCode.Failed | typeof ExitCode.Usage {
  return exitCodeOf(err) === ExitCode.Usage ? ExitCode.Usage : ExitCode.Failed;
}

function isOwnError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('MDB_');
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

// lib/contract's control characters, and LINE and PARAGRAPH SEPARATOR (line breaks to JavaScript).
const ESCAPED = new RegExp(`${CONTROL_CHARACTERS.source}|[\\u2028\\u2029]`, 'g');

/** Shows control characters (and U+2028/U+2029) as `\uXXXX` escapes; keeps line feeds. */
export function escapeControls(text: string): string {
  return text.replace(ESCAPED, (c) =>
    c === '\n' ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * JSON text that is also safe as one line of a terminal or of JavaScript: JSON.stringify escapes C0
 * controls (line feeds included); DEL, C1 controls (a raw U+009B starts a terminal sequence) and
 * U+2028/U+2029 are escaped here.
 */
function toJsonLine(value: unknown): string {
  return escapeControls(JSON.stringify(value) ?? 'null');
}

/** A copy of a JSON value with `redact` applied to every string value (never to keys). */
function redactValues(value: unknown, redact: Redact): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactValues(v, redact));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValues(v, redact)]));
  }
  return value;
}

export class Output {
  readonly #io: CliIo;
  readonly #json: boolean;
  readonly #debug: boolean;
  #secrets: readonly string[] = [];
  #redactor: Redact = (text) => text;

  constructor(io: CliIo, options: { json: boolean; debug: boolean }) {
    this.#io = io;
    this.#json = options.json;
    this.#debug = options.debug;
  }

  /** Registers secret values that must never be printed. */
  addSecrets(secrets: readonly string[]): void {
    this.#secrets = [...this.#secrets, ...secrets.filter((s) => s.length > 0)];
    this.#redactor = createRedactor(this.#secrets, '***');
  }

  #human(text: string): string {
    return escapeControls(this.#redactor(text));
  }

  /** A human line on stderr (always, also with --json: stdout stays machine-readable). */
  line(symbol: '✔' | '✖' | '⚠', text: string): void {
    this.#io.stderr.write(`${symbol} ${this.#human(oneLine(text))}\n`);
  }

  /** Plain human output of a command (list) on stdout: control characters escaped, line feeds kept. */
  stdout(text: string): void {
    this.#io.stdout.write(this.#human(text));
  }

  /** Plain human output on stderr (findings, when stdout carries `audit --adopt -`'s file). */
  stderr(text: string): void {
    this.#io.stderr.write(this.#human(text));
  }

  /** A JSON value on stdout as one line (list --json), whatever the mode. */
  data(value: unknown): void {
    this.#io.stdout.write(`${toJsonLine(redactValues(value, this.#redactor))}\n`);
  }

  /** One JSON object on stdout, only with --json. */
  json(value: JsonValue): void {
    if (this.#json) this.data(value);
  }

  get jsonMode(): boolean {
    return this.#json;
  }

  /** Reports a failure: the ✖ line, the JSON object, the stack with --debug. Returns the exit code. */
  fail(command: string, err: unknown, hint?: string): typeof ExitCode.Failed | typeof ExitCode.Usage {
    const exitCode = exitCodeFor(err);
    const own = isOwnError(err);
    const message = own
      ? `${err.message}${hint ? ` Hint: ${hint}.` : ''}`
      : `unexpected ${err instanceof Error ? err.name : 'error'}: ${err instanceof Error ? err.message : String(err)}` +
        (this.#debug ? '' : ' (run again with --debug for the stack trace)');
    this.line('✖', message);
    if (this.#debug && err instanceof Error && err.stack)
      this.#io.stderr.write(`${this.#human(err.stack)}\n`);
    const fields = own ? (err as unknown as Record<string, unknown>) : {};
    const pickField = (name: string) => {
      const v = fields[name];
      return typeof v === 'string' || typeof v === 'number' ? v : undefined;
    };
    this.json({
      command,
      outcome: 'error',
      exitCode,
      code: own ? err.code : 'MDB_UNEXPECTED',
      message: oneLine(message),
      status: pickField('status') ?? pickField('lastStatus'),
      errorCode: pickField('errorCode'),
      detail: pickField('detail'),
      method: pickField('method'),
      path: pickField('path'),
    });
    return exitCode;
  }
}
