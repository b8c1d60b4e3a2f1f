// How outcomes reach the user: one human line per outcome on stderr (✔ ✖ ⚠), or with --json one JSON
// object per outcome on stdout; stack traces only with --debug. Error codes map to exit codes here.
// Every string passes through a redactor of the secret values this process read: the client already
// keeps secrets out of its errors, this is the second line of defence.
import type { CliIo } from './run';

export type JsonValue =
  string | number | boolean | null | undefined | JsonValue[] | { [k: string]: JsonValue };

/** 2 for bad usage or configuration (nothing was sent), 1 for everything else. Matches on `code`. */
export function exitCodeFor(err: unknown): 1 | 2 {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return code === 'MDB_USAGE' || code === 'MDB_CONFIGURATION' ? 2 : 1;
}

function isOwnError(err: unknown): err is Error & { code: string } {
  const code: unknown = err instanceof Error ? (err as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('MDB_');
}

const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

export class Output {
  readonly #io: CliIo;
  readonly #json: boolean;
  readonly #debug: boolean;
  #secrets: readonly string[] = [];

  constructor(io: CliIo, options: { json: boolean; debug: boolean }) {
    this.#io = io;
    this.#json = options.json;
    this.#debug = options.debug;
  }

  /** Registers secret values that must never be printed. */
  addSecrets(secrets: readonly string[]): void {
    this.#secrets = [...this.#secrets, ...secrets.filter((s) => s.length > 0)].sort(
      (a, b) => b.length - a.length,
    );
  }

  #redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join('***');
    return out;
  }

  /** A human line on stderr (always, also with --json: stdout stays machine-readable). */
  line(symbol: '✔' | '✖' | '⚠', text: string): void {
    this.#io.stderr.write(this.#redact(`${symbol} ${oneLine(text)}\n`));
  }

  /** Plain output of a command (list) on stdout. */
  stdout(text: string): void {
    this.#io.stdout.write(this.#redact(text));
  }

  /** One JSON object on stdout, only with --json. */
  json(value: JsonValue): void {
    if (this.#json) this.#io.stdout.write(this.#redact(`${JSON.stringify(value)}\n`));
  }

  get jsonMode(): boolean {
    return this.#json;
  }

  /** Reports a failure: the ✖ line, the JSON object, the stack with --debug. Returns the exit code. */
  fail(command: string, err: unknown, hint?: string): 1 | 2 {
    const exitCode = exitCodeFor(err);
    const own = isOwnError(err);
    const message = own
      ? `${err.message}${hint ? ` Hint: ${hint}.` : ''}`
      : `unexpected ${err instanceof Error ? err.name : 'error'}: ${err instanceof Error ? err.message : String(err)}` +
        (this.#debug ? '' : ' (run again with --debug for the stack trace)');
    this.line('✖', message);
    if (this.#debug && err instanceof Error && err.stack)
      this.#io.stderr.write(`${this.#redact(err.stack)}\n`);
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
