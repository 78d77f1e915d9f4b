/**
 * The reconcile run: load the manifest, observe, plan, and either print the plan (dry-run, --out) or
 * apply it under the environment's lock and print the summary. Errors are turned into one message
 * and an exit code by `reportErrors`.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { converge } from "../apply/converge.ts"
import { retrySchedule } from "../apply/policy.ts"
import type { LockHeldError, PluginError } from "../errors.ts"
import type { SecretEnv } from "../manifest/index.ts"
import { fingerprintKeyFromEnv } from "../plan/fingerprint.ts"
import { diffAll, makePlan, observe, stateFingerprint } from "../plan/planner.ts"
import type { AnyPlugin, RunContext } from "../plugin/Plugin.ts"
import { type OutputFormat, renderPlan, renderSummary, styleFor } from "../render/index.ts"
import { ExitCode, type ExitStatus, exitCodeForPlan, exitCodeForSummary, setExitCode } from "./exitCodes.ts"
import { checkFresh, readSavedPlan, SavedPlan, writeSavedPlan } from "./savedPlan.ts"
import { openSession, type Session } from "./session.ts"

export interface CliConfig<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  /** Takes the environment's apply lock for the scope, or fails with LockHeldError. */
  readonly lock?: (ctx: RunContext) => Effect.Effect<void, LockHeldError | PluginError, Scope.Scope | R>
  readonly env: Readonly<Record<string, string | undefined>>
  readonly isTTY: boolean
}

export interface RunFlags {
  readonly env: string
  readonly manifests: string
  readonly dryRun: boolean
  readonly detailedExitcode: boolean
  readonly output: OutputFormat
  readonly out: string | undefined
  readonly allowDestroy: boolean
}

const print = (text: string) => Console.log(text.endsWith("\n") ? text.slice(0, -1) : text)

const planNow = <R>(session: Session<R>, key: string, nonce?: string) =>
  Effect.gen(function* () {
    const observations = yield* observe(session.plugins, session.ctx, retrySchedule(session.policy))
    const planned = diffAll(observations, session.ctx, key)
    const plan = makePlan({
      env: session.ctx.env,
      spec: session.manifest.spec,
      manifest: { file: session.manifest.file, digest: session.manifest.digest },
      observations,
      planned,
      now: new Date(),
      ...(nonce === undefined ? {} : { nonce }),
    })
    return { observations, planned, plan }
  })

const withLock = <A, E, R>(config: CliConfig<R>, ctx: RunContext, body: Effect.Effect<A, E, R>) =>
  config.lock === undefined ? body : Effect.scoped(Effect.zipRight(config.lock(ctx), body))

/** `reconcile --env NAME [...]`. */
export const runReconcile = <R>(config: CliConfig<R>, flags: RunFlags) =>
  Effect.gen(function* () {
    const dryRun = flags.dryRun || flags.out !== undefined
    const session = yield* openSession({ ...flags, dir: flags.manifests, plugins: config.plugins, dryRun })
    const key = fingerprintKeyFromEnv(config.env)
    const style = styleFor({ isTTY: config.isTTY, env: config.env })
    if (dryRun) {
      const { plan } = yield* planNow(session, key)
      if (flags.out !== undefined) {
        yield* writeSavedPlan(
          flags.out,
          new SavedPlan({
            kind: "saved-plan",
            formatVersion: 1,
            manifests: flags.manifests,
            env: flags.env,
            plan,
          }),
        )
      }
      yield* print(renderPlan(plan, flags.output, style))
      if (flags.out !== undefined && flags.output === "text") {
        yield* Console.error(`Saved the plan to ${flags.out}. Apply it with: reconcile apply ${flags.out}`)
      }
      return yield* setExitCode(exitCodeForPlan(plan, flags.detailedExitcode))
    }
    const summary = yield* withLock(
      config,
      session.ctx,
      Effect.gen(function* () {
        const { plan, planned } = yield* planNow(session, key)
        if (flags.output === "text") yield* print(renderPlan(plan, "text", style))
        return yield* converge({ ...session, plan, planned, fingerprintKey: key })
      }),
    )
    yield* print(renderSummary(summary, flags.output, style))
    return yield* setExitCode(exitCodeForSummary(summary))
  })

/** `reconcile apply FILE`: apply a saved plan unless it has gone stale. */
export const runSavedPlan = <R>(
  config: CliConfig<R>,
  flags: { readonly file: string; readonly output: OutputFormat; readonly allowDestroy: boolean },
) =>
  Effect.gen(function* () {
    const saved = yield* readSavedPlan(flags.file)
    const session = yield* openSession({
      plugins: config.plugins,
      dir: saved.manifests,
      env: saved.env,
      dryRun: false,
      allowDestroy: flags.allowDestroy,
    })
    const key = fingerprintKeyFromEnv(config.env)
    const style = styleFor({ isTTY: config.isTTY, env: config.env })
    const summary = yield* withLock(
      config,
      session.ctx,
      Effect.gen(function* () {
        const { observations, planned, plan } = yield* planNow(session, key, saved.plan.live.nonce)
        yield* checkFresh(saved, {
          digest: session.manifest.digest,
          fingerprint: stateFingerprint(session.manifest.spec, observations, saved.plan.live.nonce),
        })
        if (flags.output === "text") yield* print(renderPlan(plan, "text", style))
        return yield* converge({ ...session, plan, planned, fingerprintKey: key })
      }),
    )
    yield* print(renderSummary(summary, flags.output, style))
    return yield* setExitCode(exitCodeForSummary(summary))
  })

export type RunRequirements<R> = R | ExitStatus | SecretEnv
export { ExitCode }
