import { execFileSync } from "node:child_process"
import * as Effect from "effect/Effect"
import { describe, expect, it } from "vitest"
import { buildEnv, runBuild } from "./buildCommand.ts"

const canary = "canary-build-env-6d2f0a91"

describe("the frontend build command", () => {
  it("gets only the variables a build needs, never the runner's secrets", async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: "/home/x",
      NODE_ENV: "production",
      npm_config_cache: "/tmp/npm",
      VITE_API_BASE: "/api",
      RUNNER_NOTE: canary,
      DEPLOY_TOKEN: canary,
      VITE_SECRET_KEY: canary,
      npm_config__authToken: canary,
      HTTPS_PROXY: `http://u:${canary}@proxy:3128`,
    }
    expect(Object.keys(buildEnv(env)).sort()).toEqual([
      "HOME",
      "NODE_ENV",
      "PATH",
      "VITE_API_BASE",
      "npm_config_cache",
    ])
    const run = await Effect.runPromise(
      runBuild({ command: "env; exit 3", cwd: "/", timeoutMs: 10_000, secrets: [], env }),
    )
    expect(run.ok).toBe(false)
    expect(run.output).toContain("VITE_API_BASE=/api")
    expect(run.output).not.toContain(canary)
  })

  it("scrubs known secret values from what the build printed", async () => {
    const run = await Effect.runPromise(
      runBuild({
        command: `echo "token=${canary}"; echo "db postgres://u:pw-${canary.slice(0, 8)}@h/db" >&2; exit 1`,
        cwd: "/",
        timeoutMs: 10_000,
        secrets: [canary],
      }),
    )
    expect(run.output).toContain("token=***")
    expect(run.output).toContain("postgres://u:***@h/db")
    expect(run.output).not.toContain(canary)
  })

  it("is stopped with its whole process group after the timeout", async () => {
    const run = await Effect.runPromise(
      runBuild({
        command: "echo building; (sleep 29.37; echo late) & sleep 29.37",
        cwd: "/",
        timeoutMs: 300,
        secrets: [],
      }),
    )
    expect(run).toMatchObject({ ok: false, timedOut: true })
    expect(run.output).toContain("building")
    // no `sleep` of the build is left running
    const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim() === "sleep 29.37")
    expect(left).toEqual([])
  })
})
