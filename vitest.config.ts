import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["{engine,plugins,sim,test,app,scripts}/**/*.test.ts"],
    globalSetup: ["test/support/postgresGlobalSetup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
})
