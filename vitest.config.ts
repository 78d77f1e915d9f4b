import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["{bin,engine,plugins,services,reporters,sim,scaffold,test,app,scripts}/**/*.test.ts"],
    globalSetup: ["test/support/postgresGlobalSetup.ts", "test/support/cliGlobalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
})
