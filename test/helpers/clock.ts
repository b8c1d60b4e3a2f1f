// fakeClock(): a clock that only moves when the code under test sleeps; pass `now` and `sleep` to the
// client (or `now` to the sandbox). `state.sleeps` lists every sleep asked for, in milliseconds.
// Shared by the client tests on the sandbox and on the scripted server.

/** A clock that only moves when the client sleeps. */
export function fakeClock(start = 1_700_000_000_000) {
  const state = { now: start, sleeps: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.now += ms;
    },
  };
}
