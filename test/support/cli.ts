/**
 * Runs the bundled CLI as a real child process and captures what it printed. Also scans every
 * captured output for canary secrets: `assertNoCanary` is called by tests that pass secrets.
 */
import { spawnSync } from "node:child_process"
import { resolve } from "node:path"
import { inject } from "vitest"

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Everything every CLI run in this test file printed, for secret scans. */
export const allOutput: Array<string> = []

export const runCli = (
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: Record<string, string | undefined> } = {},
): CliRun => {
  const bundle = resolve(inject("cliBundle"))
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, NO_COLOR: "1", ...options.env })) {
    if (v !== undefined) env[k] = v
  }
  const r = spawnSync(process.execPath, [bundle, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env,
    encoding: "utf8",
    timeout: 60_000,
  })
  allOutput.push(r.stdout, r.stderr)
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}
