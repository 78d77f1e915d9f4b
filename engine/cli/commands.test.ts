/**
 * The CLI in-process, for what the stand-in plugin cannot show: a held lock (exit 3), an
 * observation failure.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { LockHeldError, PluginError } from "../errors.ts"
import { secretEnvFromRecord } from "../manifest/index.ts"
import { makeFake } from "../testing/fakePlugin.ts"
import { makeCli } from "./commands.ts"
import { ExitStatus } from "./exitCodes.ts"
import type { CliConfig } from "./run.ts"

const run = async (config: CliConfig<never>, args: ReadonlyArray<string>) => {
  const out: Array<string> = []
  const err: Array<string> = []
  vi.spyOn(console, "log").mockImplementation((...a: Array<unknown>) => void out.push(a.join(" ")))
  vi.spyOn(console, "error").mockImplementation((...a: Array<unknown>) => void err.push(a.join(" ")))
  const status: { code: 0 | 1 | 2 | 3 | 4 } = { code: 0 }
  await Effect.runPromise(
    makeCli(
      config,
      "test",
    )(["node", "reconcile", ...args]).pipe(
      Effect.provideService(ExitStatus, status),
      Effect.provide(secretEnvFromRecord({})),
      Effect.provide(NodeContext.layer),
    ),
  )
  return { code: status.code, stdout: out.join("\n"), stderr: err.join("\n") }
}

const configWith = (overrides: Partial<CliConfig<never>>): CliConfig<never> => ({
  plugins: [makeFake({ name: "fake", wave: "config" }).plugin],
  env: {},
  isTTY: false,
  ...overrides,
})

const manifests = "test/fixtures/cli"

afterEach(() => vi.restoreAllMocks())

describe("reconcile (in-process)", () => {
  it("exits 3 with a clear message when another apply holds the environment's lock", async () => {
    let observed = false
    const fake = makeFake({
      name: "fake",
      wave: "config",
      observe: () =>
        Effect.sync(() => {
          observed = true
        }),
    })
    const config = configWith({
      plugins: [fake.plugin],
      lock: (ctx) =>
        Effect.fail(new LockHeldError({ env: ctx.env, holder: "pid 4242 on ci-runner-7 since 10:02" })),
    })
    const r = await run(config, ["--env", "staging", "--manifests", manifests])
    expect(r.code).toBe(3)
    expect(r.stderr).toBe(
      'error: another apply holds the lock for environment "staging" (pid 4242 on ci-runner-7 since 10:02); try again when it has finished',
    )
    expect(observed).toBe(false)
    expect(fake.log).toEqual([])
  })

  it("takes no lock on a dry-run", async () => {
    const config = configWith({ lock: () => Effect.die("a dry-run must not lock") })
    const r = await run(config, ["--env", "staging", "--manifests", manifests, "--dry-run"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("+ fake/A")
  })

  it("reports an observation failure once and exits 1", async () => {
    const fake = makeFake({
      name: "fake",
      wave: "config",
      observe: () => Effect.fail(new PluginError({ reason: "Unavailable", detail: "api down" })),
    })
    const r = await run(configWith({ plugins: [fake.plugin] }), [
      "--env",
      "staging",
      "--manifests",
      manifests,
      "--dry-run",
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe("error: api down (Unavailable)")
    expect(r.stdout).toBe("")
  })
})
