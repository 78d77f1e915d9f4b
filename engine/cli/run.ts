/**
 * The reconcile run: load the manifest, observe, plan, and either print the plan (dry-run, --out) or
 * apply it under the environment's lock and print the summary. The plugins' services are built for
 * the run after the manifest loads; reporters hear about the plan and the summary. Errors become one
 * message and an exit code in report.ts.
 */
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { converge } from "../apply/converge.ts"
import type { Summary } from "../apply/Summary.ts"
import type { LockHeldError, PluginError, StalePlanError } from "../errors.ts"
import { fingerprintKeyFromEnv } from "../plan/fingerprint.ts"
import type { Plan } from "../plan/Plan.ts"
import { stateFingerprint } from "../plan/planner.ts"
import type { AnyPlugin, RollbackRequest, RunContext } from "../plugin/Plugin.ts"
import type { ReportContext, Reporter } from "../plugin/Reporter.ts"
import { type OutputFormat, renderPlan, renderSummary, styleFor } from "../render/index.ts"
import { exitCodeForPlan, exitCodeForSummary, setExitCode } from "./exitCodes.ts"
import { checkSeal, checkSteps, configuredKey, sealPlan } from "./planSeal.ts"
import { checkFresh, readSavedPlan, SavedPlan, savedPlanFormatVersion, writeSavedPlan } from "./savedPlan.ts"
import { openSession, planSession, type Session } from "./session.ts"

export interface CliConfig<R> {
  readonly plugins: ReadonlyArray<AnyPlugin<R>>
  /** The services the plugins need for one run (built after the manifest loads, torn down after). */
  readonly services?: (ctx: RunContext) => Layer.Layer<R, PluginError>
  /** Takes the environment's apply lock for the scope, or fails with LockHeldError. */
  readonly lock?: (ctx: RunContext) => Effect.Effect<void, LockHeldError | PluginError, Scope.Scope | R>
  /** Reporters need no plugin services: they must work even when the manifest is invalid. */
  readonly reporters?: ReadonlyArray<Reporter<never>>
  /**
   * Run history (issue 17): records a finished apply, still under its lock and with the run's
   * services. Never fails; what it could not record comes back as notes, printed on stderr.
   */
  readonly recordApply?: (ctx: RunContext, summary: Summary) => Effect.Effect<ReadonlyArray<string>, never, R>
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
  /** Extra reports asked for with --report (see Reporter.kinds). */
  readonly report: ReadonlyArray<string>
  /** `reconcile rollback`: a plan that rolls the app back, applied and verified like any other. */
  readonly rollback?: RollbackRequest
}

const print = (text: string) => Console.log(text.endsWith("\n") ? text.slice(0, -1) : text)

/** Runs one hook of every reporter; what they could not deliver is printed on stderr. */
const report = (
  reporters: ReadonlyArray<Reporter<never>> | undefined,
  hook: (r: Reporter<never>) => Effect.Effect<ReadonlyArray<string>> | undefined,
) =>
  Effect.forEach(reporters ?? [], (r) => hook(r) ?? Effect.succeed([]), { concurrency: "unbounded" }).pipe(
    Effect.flatMap((notes) => Effect.forEach(notes.flat(), (n) => Console.error(`note: ${n}`))),
  )

/** Provides the run's services; without a `services` hook the plugins need none. */
const withServices = <A, E, R>(config: CliConfig<R>, ctx: RunContext, body: Effect.Effect<A, E, R>) =>
  config.services === undefined
    ? (body as Effect.Effect<A, E, never>)
    : Effect.provide(body, Layer.fresh(config.services(ctx)))

const withLock = <A, E, R>(config: CliConfig<R>, ctx: RunContext, body: Effect.Effect<A, E, R>) =>
  config.lock === undefined ? body : Effect.scoped(Effect.zipRight(config.lock(ctx), body))

/** Under the lock: plan (checking a saved plan is still fresh), tell reporters, apply, converge. */
const applyNow = <R>(
  config: CliConfig<R>,
  session: Session<R>,
  options: {
    readonly output: OutputFormat
    readonly reportCtx: ReportContext
    readonly saved?: { readonly file: string; readonly plan: SavedPlan }
  },
): Effect.Effect<Summary, PluginError | LockHeldError | StalePlanError, R> => {
  const key = fingerprintKeyFromEnv(config.env)
  const style = styleFor({ isTTY: config.isTTY, env: config.env })
  const saved = options.saved?.plan
  return withLock(
    config,
    session.ctx,
    Effect.gen(function* () {
      const { observations, planned, plan } = yield* planSession(session, key, saved?.plan.live.nonce)
      if (saved !== undefined) {
        yield* checkFresh(saved, {
          digest: session.manifest.digest,
          fingerprint: stateFingerprint(session.manifest.spec, observations, saved.plan.live.nonce),
        })
        // secret fingerprints compare only when both plans used the configured key
        const sameKey = saved.seal?.key === "fingerprint-key" && configuredKey(config.env) !== undefined
        yield* checkSteps(options.saved?.file ?? "the saved plan", saved.plan.steps, plan.steps, sameKey)
      }
      if (options.output === "text") yield* print(renderPlan(plan, "text", style))
      yield* report(config.reporters, (r) => r.started?.(options.reportCtx, plan))
      const summary = yield* converge({ ...session, plan, planned, fingerprintKey: key })
      // run history (issue 17): the one hook; see CliConfig.recordApply
      const notes = config.recordApply === undefined ? [] : yield* config.recordApply(session.ctx, summary)
      yield* Effect.forEach(notes, (n) => Console.error(`note: ${n}`))
      return summary
    }),
  )
}

const finishApply = (
  config: CliConfig<unknown>,
  summary: Summary,
  output: OutputFormat,
  reportCtx: ReportContext,
) =>
  Effect.gen(function* () {
    yield* print(renderSummary(summary, output, styleFor({ isTTY: config.isTTY, env: config.env })))
    const exitCode = exitCodeForSummary(summary)
    yield* report(config.reporters, (r) => r.finished?.(reportCtx, { plan: summary.plan, summary, exitCode }))
    return yield* setExitCode(exitCode)
  })

const finishDryRun = (config: CliConfig<unknown>, plan: Plan, flags: RunFlags, reportCtx: ReportContext) =>
  Effect.gen(function* () {
    yield* print(renderPlan(plan, flags.output, styleFor({ isTTY: config.isTTY, env: config.env })))
    if (flags.out !== undefined && flags.output === "text") {
      yield* Console.error(`Saved the plan to ${flags.out}. Apply it with: reconcile apply ${flags.out}`)
    }
    const exitCode = exitCodeForPlan(plan, flags.detailedExitcode)
    yield* report(config.reporters, (r) => r.finished?.(reportCtx, { plan, exitCode }))
    return yield* setExitCode(exitCode)
  })

const open = <R>(config: CliConfig<R>, options: Parameters<typeof openSession<R>>[0]) =>
  openSession(options).pipe(
    Effect.tapError((e) =>
      e._tag === "ManifestError"
        ? report(config.reporters, (r) => r.manifestProblems?.(e.problems))
        : Effect.void,
    ),
  )

/** `reconcile --env NAME [...]`. */
export const runReconcile = <R>(config: CliConfig<R>, flags: RunFlags) =>
  Effect.gen(function* () {
    const dryRun = flags.dryRun || flags.out !== undefined
    const reportCtx: ReportContext = {
      env: flags.env,
      mode: dryRun ? "dry-run" : "apply",
      requested: flags.report,
    }
    const session = yield* open(config, { ...flags, dir: flags.manifests, plugins: config.plugins, dryRun })
    const loose = config as CliConfig<unknown>
    if (dryRun) {
      const { plan } = yield* withServices(
        config,
        session.ctx,
        planSession(session, fingerprintKeyFromEnv(config.env)),
      )
      if (flags.out !== undefined) {
        const content = { manifests: flags.manifests, env: flags.env, plan }
        const saved = new SavedPlan({
          kind: "saved-plan",
          formatVersion: savedPlanFormatVersion,
          ...content,
          seal: sealPlan(content, configuredKey(config.env)),
        })
        yield* writeSavedPlan(flags.out, saved)
      }
      return yield* finishDryRun(loose, plan, flags, reportCtx)
    }
    const summary = yield* withServices(
      config,
      session.ctx,
      applyNow(config, session, { output: flags.output, reportCtx }),
    )
    return yield* finishApply(loose, summary, flags.output, reportCtx)
  })

/** `reconcile apply FILE`: apply a saved plan unless it has gone stale. */
export const runSavedPlan = <R>(
  config: CliConfig<R>,
  flags: {
    readonly file: string
    readonly output: OutputFormat
    readonly allowDestroy: boolean
    readonly report: ReadonlyArray<string>
  },
) =>
  Effect.gen(function* () {
    const saved = yield* readSavedPlan(flags.file)
    // before anything is observed: the file must be what was saved
    yield* checkSeal(flags.file, saved, configuredKey(config.env))
    const reportCtx: ReportContext = { env: saved.env, mode: "apply", requested: flags.report }
    const session = yield* open(config, {
      plugins: config.plugins,
      dir: saved.manifests,
      env: saved.env,
      dryRun: false,
      allowDestroy: flags.allowDestroy,
      rollback: saved.plan.rollback,
    })
    const summary = yield* withServices(
      config,
      session.ctx,
      applyNow(config, session, {
        output: flags.output,
        reportCtx,
        saved: { file: flags.file, plan: saved },
      }),
    )
    return yield* finishApply(config as CliConfig<unknown>, summary, flags.output, reportCtx)
  })
