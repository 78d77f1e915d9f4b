/**
 * The local environment through the bundled CLI: a run starts the simulator and an embedded
 * PostgreSQL in-process and converges; `reconcile sim --env local` keeps serving that state, runs
 * attach to it instead of starting their own, and the state survives between runs.
 */
import { spawn } from "node:child_process"
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, describe, expect, inject, it } from "vitest"
import { runCliAsync } from "./support/cli.ts"

const dir = mkdtempSync(join(tmpdir(), "reconcile-local-"))
chmodSync(dir, 0o755) // the embedded PostgreSQL runs as the postgres user, who must reach its data
mkdirSync(join(dir, "manifests"))
writeFileSync(
  join(dir, "manifests", "local.yaml"),
  `apiVersion: reconcile/v1
kind: Release
metadata: { name: local }
spec:
  simulator: { stateDir: ${join(dir, "state")} }
  app: { name: nails-local-test }
  addons: [{ plan: "heroku-postgresql:essential-0", as: DATABASE }]
  config:
    vars: { GREETING: hello }
    required: [DATABASE_URL]
`,
)
const children: Array<ReturnType<typeof spawn>> = []
afterAll(() => {
  for (const c of children) c.kill("SIGKILL")
  rmSync(dir, { recursive: true, force: true })
})

describe("reconcile --env local", () => {
  it("converges in-process, then attaches to a running `reconcile sim --env local`", async () => {
    const first = await runCliAsync(["--env", "local"], { cwd: dir })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).toContain("starting the local Heroku simulator and PostgreSQL")
    expect(first.stdout).toContain("Converged.")

    const server = spawn(process.execPath, [resolve(inject("cliBundle")), "sim", "--env", "local"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "ignore", "pipe"],
    })
    children.push(server)
    let log = ""
    await new Promise<void>((ready, fail) => {
      server.stderr?.on("data", (d: Buffer) => {
        log += d.toString()
        if (log.includes("Press Ctrl-C to stop")) ready()
      })
      server.on("exit", (code) => fail(new Error(`sim exited ${code}: ${log}`)))
    })
    expect(log).toContain("nails-local-test")

    const second = await runCliAsync(["--env", "local", "--dry-run", "--detailed-exitcode"], { cwd: dir })
    expect(second.stderr).toContain("using the local simulator already running")
    expect(second.code).toBe(0)

    const stopped = new Promise<number | null>((done) => server.on("exit", (code) => done(code)))
    server.kill("SIGINT")
    await stopped
    expect(existsSync(join(dir, "state", "server.json"))).toBe(false)
  }, 90_000)
})
