import { availableParallelism } from "node:os"
import { configDefaults, defineConfig } from "vitest/config"
import SlowFirstSequencer from "./test/support/sequencer.ts"

// The packaged end-to-end suite (*.e2e.test.ts: npm pack, install, init, local and staging runs) takes
// about two minutes on a loaded machine, so it runs on its own: `npm run test:e2e` (CI runs both).
const e2e = process.env.RECONCILE_E2E === "1"

// Worker count. vitest's default is cpus - 1, which is ONE fork on the 2-core CI machine. Most of the
// suite's wall time is waiting (on bundled-CLI child processes, the simulator's builds and dynos,
// PostgreSQL), not this process's CPU, so two forks on two cores nearly halve it. Every test file
// uses its own simulator (random loopback port), app and database names and temp dirs, so files do
// not interfere across forks. More cores get more forks, at most 4: the run shares one PostgreSQL
// (400 connections; the two chaos files, side by side, run 52 applies at once).
const forks = Math.min(4, Math.max(2, availableParallelism()))

export default defineConfig({
  test: {
    include: e2e
      ? ["test/**/*.e2e.test.ts"]
      : [
          "{bin,engine,plugins,services,reporters,sim,scaffold,test,app,scripts,history,dashboard}/**/*.test.ts",
        ],
    exclude: e2e ? configDefaults.exclude : [...configDefaults.exclude, "**/*.e2e.test.ts"],
    globalSetup: ["test/support/postgresGlobalSetup.ts", "test/support/cliGlobalSetup.ts"],
    setupFiles: ["test/support/perFile.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files are not isolated from each other: a fork keeps its loaded modules (effect, the
    // simulator, the plugins) from one file to the next instead of starting a new process and loading
    // them again for each of the ~150 files. That loading was most of the suite's CPU (42 engine and
    // plugin files: 100 s of CPU isolated, 23 s not). Files still run one at a time per fork; the
    // state test support modules keep per file is reset before each (test/support/fileState.ts).
    isolate: false,
    poolOptions: { forks: { minForks: 1, maxForks: forks } },
    sequence: { sequencer: SlowFirstSequencer },
  },
})
