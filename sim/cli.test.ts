/** The standalone runner: prints URL and token, serves, and closes when stopped. */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { expect, test } from "vitest"
import { herokuClient, waitFor } from "../test/support/simClient.ts"
import { runSimulatorCli } from "./cli.ts"

test("runSimulatorCli serves until stopped", async () => {
  const dir = await mkdtemp(join(tmpdir(), "sim-cli-"))
  try {
    const faults = join(dir, "faults.json")
    await writeFile(faults, JSON.stringify({ latencyMs: 1, seed: 9 }))
    const lines: string[] = []
    const stop = new AbortController()
    const running = runSimulatorCli({
      state: join(dir, "state.json"),
      faults,
      token: "cli-token",
      postgresAdminUrl: "none",
      log: (l) => lines.push(l),
      signal: stop.signal,
    })
    const url = await waitFor(async () => /listening on (\S+)/.exec(lines.join("\n"))?.[1])
    // a token the user supplied may be a real one: it is never echoed
    expect(lines.join("\n")).toContain("HEROKU_API_KEY: the token already in your environment")
    expect(lines.join("\n")).not.toContain("cli-token")
    const res = await herokuClient(url, "cli-token").call("POST", "/apps", { body: { name: "cli-app" } })
    expect(res.status).toBe(201)
    stop.abort()
    await running
    expect(lines.at(-1)).toBe("Stopping the simulator...")
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
