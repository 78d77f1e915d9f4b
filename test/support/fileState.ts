/**
 * State a test support module keeps for the test file using it. The forks do not isolate test files
 * (vitest.config.ts): a worker keeps modules loaded from one file to the next, so such state would
 * carry over. A module registers how to reset its state here; the setupFile test/support/perFile.ts
 * runs every reset before each test file, giving it what a freshly loaded module would.
 */
const resets: Array<() => void> = []

/** Registers `reset`, run before each later test file in this worker. */
export const perTestFile = (reset: () => void): void => {
  resets.push(reset)
}

/** Runs every registered reset (the setupFile calls this before each test file). */
export const resetFileState = (): void => {
  for (const reset of resets) reset()
}
