/**
 * The bundled CLI against a hostile API: a slow-drip body or a connection reset mid-body ends the
 * run within its policy timeouts (stepTimeout × attempts) with one clean error, exit 1, no stack.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "vitest"
import { runCliAsync } from "../support/cli.ts"
import { type HostileApi, type HostileMode, startHostileApi } from "../support/hostileApi.ts"

let server: HostileApi | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const manifests = () => {
  const root = mkdtempSync(join(tmpdir(), "reconcile-hostile-"))
  mkdirSync(join(root, "manifests"))
  writeFileSync(
    join(root, "manifests", "test.yaml"),
    "apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: test\nspec:\n" +
      "  policy: { stepTimeout: 1s, retries: 1 }\n  app: { name: hostile }\n",
  )
  return join(root, "manifests")
}

const dryRun = async (mode: HostileMode) => {
  server = await startHostileApi(mode)
  return runCliAsync(["--env", "test", "--manifests", manifests(), "--dry-run"], {
    env: { HEROKU_API_URL: server.url, HEROKU_API_KEY: "hostile-token", RECONCILE_QUIET: "1" },
  })
}

describe("a run against a hostile API ends within its policy timeouts", () => {
  it.each(["drip", "reset"] as const)(
    "%s: exit 1, one clean error, within the policy bound",
    async (mode) => {
      const r = await dryRun(mode)
      expect(r.code).toBe(1)
      // the hostile API never answers in full: ending at all, with the step timeout's own
      // message, is the policy's bound at work (no wall-clock assertion; a hang fails the test)
      expect(r.stderr).toContain(mode === "drip" ? "observing app: no result within 1s" : "/apps/hostile")
      expect(r.stderr.trim().split("\n")).toHaveLength(1)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(r.stderr).not.toContain("hostile-token")
    },
  )
})
