/**
 * The CLI in-process, for what the stand-in plugin cannot show: a held lock (exit 3), an
 * observation failure.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { afterEach, describe, expect, it, vi } from "vitest"
import { LockHeldError, PluginError } from "../errors.ts"
import { secretEnvFromRecord } from "../manifest/index.ts"
import type { Reporter } from "../plugin/Reporter.ts"
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
const runIn = (args: ReadonlyArray<string>) => run(configWith({}), args)

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

  it("rollback's help ends with an example, like backup's", async () => {
    const help = await runIn(["rollback", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain(
      "Example: reconcile rollback --env production --to v12 --dry-run, then the same without --dry-run to apply it",
    )
  })

  it("refuses a flag the subcommand does not take, before or after its name (exit 1)", async () => {
    for (const args of [
      ["validate", "--manifests", manifests, "--dry-run"],
      ["--dry-run", "validate", "--manifests", manifests],
      ["envs", "--manifests", manifests, "--allow-destroy"],
    ]) {
      const run = await runIn(args)
      expect(run.code, args.join(" ")).toBe(1)
      expect(run.stderr).toMatch(/does not apply to reconcile (validate|envs)/)
      expect(run.stdout).toBe("")
    }
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

  it("reports plugin cross-section checks as file:line:col problems", async () => {
    const fake = makeFake({ name: "fake", wave: "config" })
    const plugin = {
      ...fake.plugin,
      validate: () => [{ path: ["spec", "fake", "values", "A"], message: "A is owned by an add-on" }],
    }
    const r = await run(configWith({ plugins: [plugin] }), [
      "validate",
      "--env",
      "staging",
      "--manifests",
      manifests,
    ])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      "test/fixtures/cli/staging.yaml:8:7: spec.fake.values.A: A is owned by an add-on",
    )
  })

  it("tells reporters about the plan and the summary, and prints what they could not deliver", async () => {
    const heard: Array<string> = []
    const reporter: Reporter<never> = {
      name: "test",
      kinds: ["test-report"],
      started: (ctx, plan) =>
        Effect.sync(() => {
          heard.push(`started ${ctx.env} ${plan.steps.length}`)
          return []
        }),
      finished: (ctx, o) =>
        Effect.sync(() => {
          heard.push(
            `finished ${ctx.mode} ${ctx.requested.join(",")} exit=${o.exitCode} summary=${o.summary !== undefined}`,
          )
          return ["could not reach the test service"]
        }),
    }
    const config = configWith({ reporters: [reporter] })
    const dry = await run(config, [
      "--env",
      "staging",
      "--manifests",
      manifests,
      "--dry-run",
      "--report",
      "test-report",
    ])
    expect(dry.code).toBe(0)
    const applied = await run(config, ["--env", "staging", "--manifests", manifests])
    expect(applied.code).toBe(0)
    expect(heard).toEqual([
      "finished dry-run test-report exit=0 summary=false",
      "started staging 1",
      "finished apply  exit=0 summary=true",
    ])
    expect(applied.stderr).toContain("note: could not reach the test service")
    const unknown = await run(config, ["--env", "staging", "--manifests", manifests, "--report", "nope"])
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toBe("error: unknown --report nope (known: test-report)")
  })

  it("builds the plugins' services only for runs that observe", async () => {
    let built = 0
    const config = configWith({
      services: () =>
        Layer.effectDiscard(
          Effect.sync(() => {
            built++
          }),
        ) as unknown as Layer.Layer<never, PluginError>,
    })
    await run(config, ["validate", "--manifests", manifests])
    expect(built).toBe(0)
    await run(config, ["--env", "staging", "--manifests", manifests, "--dry-run"])
    expect(built).toBe(1)
  })
})
