/** Runs `reconcile dashboard` (the bundled CLI) as a child process until the test stops it. */
import { type ChildProcess, spawn } from "node:child_process"
import { resolve } from "node:path"
import { inject } from "vitest"

export interface RunningDashboard {
  readonly url: string
  readonly output: () => string
  readonly stop: () => Promise<void>
}

export const startDashboard = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  cwd = process.cwd(),
): Promise<RunningDashboard> =>
  new Promise((ok, fail) => {
    const child: ChildProcess = spawn(
      process.execPath,
      [resolve(inject("cliBundle")), "dashboard", ...args],
      {
        cwd,
        env: { ...process.env, NO_COLOR: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    )
    let out = ""
    const timer = setTimeout(() => fail(new Error(`the dashboard did not start:\n${out}`)), 30_000)
    const stop = () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once("exit", () => done())
        child.kill("SIGTERM")
      })
    const seen = (d: Buffer) => {
      out += d.toString()
      const m = /reconcile dashboard at (\S+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        ok({ url: m[1]!, output: () => out, stop })
      }
    }
    child.stdout?.on("data", seen)
    child.stderr?.on("data", seen)
    child.once("exit", (code) => {
      clearTimeout(timer)
      fail(new Error(`the dashboard exited with ${code}:\n${out}`))
    })
  })

/** Asks for a refresh and waits until it has finished; returns the overview JSON. */
export const refreshAndWait = async (url: string, headers: Record<string, string> = {}) => {
  const r = await fetch(new URL("refresh", url), {
    method: "POST",
    headers: { "x-reconcile-refresh": "1", ...headers },
  })
  if (r.status !== 202) throw new Error(`refresh answered ${r.status}`)
  for (;;) {
    await new Promise((done) => setTimeout(done, 250))
    const o = (await (await fetch(new URL("overview.json", url), { headers })).json()) as {
      refreshing: boolean
    }
    if (!o.refreshing) return o as unknown as Record<string, unknown>
  }
}
