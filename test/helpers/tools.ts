// Tests that need an external tool (terraform, apache2, openssl, curl): on a developer's machine they skip
// with one printed line saying why; under CI (CI=true) they FAIL, naming the tool, so that a green CI run
// never hides tests that did not run.

/** True when the CI environment variable is set to anything but "", "0" or "false". */
export const underCi = (): boolean => {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
};

export interface Tool {
  /** What is missing, e.g. "terraform". */
  readonly name: string;
  /** Whether it is there. */
  readonly available: boolean;
  /** Who needs it, e.g. the test file or "the Terraform lifecycle tests". */
  readonly neededBy: string;
  /** How to get it, e.g. "Terraform >= 1.4 on PATH". */
  readonly install: string;
}

const warned = new Set<string>();

function failing(message: string): jest.It {
  const fail = (): never => {
    throw new Error(message);
  };
  const register = (name: string, _fn?: unknown, timeout?: number) => it(name, fail, timeout);
  const each =
    (table: readonly unknown[]) =>
    (name: string, _fn?: unknown, timeout?: number): void =>
      it.each(table as unknown[][])(name, fail, timeout);
  return Object.assign(register, it, { each }) as unknown as jest.It;
}

/**
 * `it` when the tool is there; otherwise `it.skip` with a printed reason, or, under CI, an `it` whose
 * tests fail with a message naming the tool.
 */
export function itIfTool(tool: Tool): jest.It {
  if (tool.available) return it;
  const why = `${tool.name} is missing (${tool.install}), needed by ${tool.neededBy}`;
  if (underCi()) {
    return failing(`${why}. Under CI=true a test that needs a missing tool fails instead of skipping.`);
  }
  if (!warned.has(why)) {
    warned.add(why);
    console.warn(`SKIPPED: ${why}. (Under CI=true these tests fail instead.)`);
  }
  return it.skip;
}

/** `describe` when the tool is there; else `describe.skip` with a printed reason, or failing under CI. */
export function describeIfTool(tool: Tool): jest.Describe {
  if (tool.available) return describe;
  if (underCi()) {
    const message = `${tool.name} is missing (${tool.install}), needed by ${tool.neededBy}. Under CI=true a test that needs a missing tool fails instead of skipping.`;
    return ((name: string) =>
      describe(name, () => {
        it(`needs ${tool.name}`, () => {
          throw new Error(message);
        });
      })) as unknown as jest.Describe;
  }
  const why = `${tool.name} is missing (${tool.install}), needed by ${tool.neededBy}`;
  if (!warned.has(why)) {
    warned.add(why);
    console.warn(`SKIPPED: ${why}. (Under CI=true these tests fail instead.)`);
  }
  return describe.skip;
}
