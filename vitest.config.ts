import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["{engine,plugins,sim,test,app,scripts}/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
})
