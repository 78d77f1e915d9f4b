import { configDefaults, defineConfig } from "vitest/config"

// The packaged end-to-end suite (*.e2e.test.ts: npm pack, install, init, local and staging runs) takes
// about two minutes on a loaded machine, so it runs on its own: `npm run test:e2e` (CI runs both).
const e2e = process.env.RECONCILE_E2E === "1"

export default defineConfig({
  test: {
    include: e2e
      ? ["test/**/*.e2e.test.ts"]
      : [
          "{bin,engine,plugins,services,reporters,sim,scaffold,test,app,scripts,history,dashboard}/**/*.test.ts",
        ],
    exclude: e2e ? configDefaults.exclude : [...configDefaults.exclude, "**/*.e2e.test.ts"],
    globalSetup: ["test/support/postgresGlobalSetup.ts", "test/support/cliGlobalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
})
