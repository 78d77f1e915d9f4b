/**
 * Runs the bundled CLI as a real child process and captures what it printed. Also scans every
 * captured output for canary secrets: `assertNoCanary` is called by tests that pass secrets.
 */
import { spawn, spawnSync } from "node:child_process"
import { resolve } from "node:path"
import { inject } from "vitest"
import { perTestFile } from "./fileState.ts"

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** How long a CLI child may run before it is killed as hung. */
const guardMs = 180_000

/** Everything every CLI run in this test file printed, for secret scans. */
export const allOutput: Array<string> = []
perTestFile(() => {
  allOutput.length = 0
})

interface RunOptions {
  readonly cwd?: string
  readonly env?: Record<string, string | undefined>
}

const childEnv = (options: RunOptions) => {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", ...options.env })) {
    if (v !== undefined) env[k] = v
  }
  return env
}

/**
 * Like `runCli`, without blocking this process's event loop: use it when the CLI talks to a server
 * running inside the test (a fake GitHub, an in-process simulator).
 */
export const runCliAsync = (args: ReadonlyArray<string>, options: RunOptions = {}): Promise<CliRun> =>
  new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(inject("cliBundle")), ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: childEnv(options),
      stdio: ["ignore", "pipe", "pipe"],
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString()
    })
    // a guard against a hung child, not a time limit: a test's own timeout says how long is too long
    // (the crash suite's resumed applies took over 60 s on a machine loaded 7x over its 2 cores)
    const timer = setTimeout(() => child.kill("SIGKILL"), guardMs)
    child.on("error", fail)
    child.on("close", (code) => {
      clearTimeout(timer)
      allOutput.push(stdout, stderr)
      done({ code, stdout, stderr })
    })
  })

export const runCli = (args: ReadonlyArray<string>, options: RunOptions = {}): CliRun => {
  const bundle = resolve(inject("cliBundle"))
  const env = childEnv(options)
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env,
    encoding: "utf8",
    timeout: guardMs,
  })
  allOutput.push(r.stdout, r.stderr)
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
