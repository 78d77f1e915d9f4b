/**
 * One build step: a child process whose output goes, line by line, into the build log as it is
 * printed (so the build's `output_stream_url` streams it), bounded by a timeout.
 */
import { spawn } from "node:child_process"

export interface StepResult {
  /** The exit status (124 on timeout, 127 when it could not start). */
  readonly code: number
}

/** Runs `file args` in `cwd` with exactly `env`; every output line goes to `log`, indented. */
export const runStep = (
  file: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>>,
  log: (line: string) => void,
  timeoutMs: number,
): Promise<StepResult> =>
  new Promise((ok) => {
    const child = spawn(file, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true })
    const partial = { stdout: "", stderr: "" }
    const take = (key: "stdout" | "stderr") => (chunk: Buffer) => {
      const lines = (partial[key] + chunk.toString("utf8")).split(/\r?\n/)
      partial[key] = lines.pop() ?? ""
      for (const line of lines) log(`       ${line}`)
    }
    child.stdout.on("data", take("stdout"))
    child.stderr.on("data", take("stderr"))
    let timedOut = false
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      log(`       (step timed out after ${Math.round(timeoutMs / 1000)} s; stopping it)`)
      kill("SIGTERM")
      setTimeout(() => kill("SIGKILL"), 3000).unref()
    }, timeoutMs)
    let started = true
    child.once("error", (e) => {
      started = false
      log(`       could not start ${file}: ${e.message}`)
    })
    child.once("close", (code) => {
      clearTimeout(timer)
      for (const rest of [partial.stdout, partial.stderr]) if (rest !== "") log(`       ${rest}`)
      ok({ code: !started ? 127 : timedOut ? 124 : (code ?? 1) })
    })
  })
