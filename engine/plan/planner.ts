/**
 * The planner: observe every plugin that has a section in the spec (in parallel), diff purely, and
 * wrap each change in the shared Step envelope, ordered by the single comparator.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Schedule from "effect/Schedule"
import { isRetryableReason, PluginError } from "../errors.ts"
import {
  type AnyPlugin,
  diffResultOf,
  type PlannedChange,
  type PlanView,
  type RunContext,
} from "../plugin/Plugin.ts"
import { isDestructiveAction } from "./Action.ts"
import { healthOf } from "./collectHealth.ts"
import { fingerprintLive, newNonce, toDisplay } from "./fingerprint.ts"
import { compareSteps, type Wave, waveIndex } from "./order.ts"
import { Plan, planFormatVersion } from "./Plan.ts"
import { Problem } from "./Problem.ts"
import { Step, StepMember } from "./Step.ts"

/** What one plugin saw. */
export interface Observation<R> {
  readonly plugin: AnyPlugin<R>
  readonly desired: unknown
  readonly live: unknown
}

/** A step together with what applying it needs. */
export interface PlannedStep<R> {
  readonly step: Step
  readonly plugin: AnyPlugin<R>
  readonly change: unknown
}

/** Plugins whose section the spec declares, in wave order. */
export const activePlugins = <R>(
  plugins: ReadonlyArray<AnyPlugin<R>>,
  spec: Readonly<Record<string, unknown>>,
): ReadonlyArray<AnyPlugin<R>> => plugins.filter((p) => spec[p.section.key] !== undefined)

/** The plugins of a rollback run: those that take part always, and those that do when declared. */
export const rollbackPlugins = <R>(
  plugins: ReadonlyArray<AnyPlugin<R>>,
  spec: Readonly<Record<string, unknown>>,
): ReadonlyArray<AnyPlugin<R>> =>
  plugins.filter(
    (p) => p.inRollback === "always" || (p.inRollback === "declared" && spec[p.section.key] !== undefined),
  )

/**
 * Observes the given plugins concurrently; the first failure fails the observation. Retryable
 * failures (rate limits, outages, timeouts) are retried on `retry`, when given; each attempt is
 * bounded by `timeout` (the policy's step timeout), when given, plus a second's grace: a plugin
 * that bounds its own slow work by the same timeout (a build command) reports it first, with what
 * it knows; this bound is the backstop.
 */
const observeGrace = Duration.seconds(1)

export const observe = <R>(
  plugins: ReadonlyArray<AnyPlugin<R>>,
  ctx: RunContext,
  retry?: Schedule.Schedule<unknown, PluginError>,
  timeout?: Duration.Duration,
): Effect.Effect<ReadonlyArray<Observation<R>>, PluginError, R> =>
  Effect.forEach(
    plugins,
    (plugin) => {
      const desired = ctx.spec[plugin.section.key]
      // re-invoked on every attempt, so a plugin that builds its effect eagerly is retried too
      const unbounded = Effect.suspend(() => plugin.observe(desired, ctx))
      const once =
        timeout === undefined
          ? unbounded
          : Effect.timeoutFail(unbounded, {
              duration: Duration.sum(timeout, observeGrace),
              onTimeout: () =>
                new PluginError({
                  reason: "Timeout",
                  detail: `observing ${plugin.name}: no result within ${Duration.format(timeout)} (spec.policy.stepTimeout)`,
                }),
            })
      const attempt =
        retry === undefined
          ? once
          : Effect.retry(once, { schedule: retry, while: (e) => isRetryableReason(e.reason) })
      return attempt.pipe(
        Effect.map((live): Observation<R> => ({ plugin, desired, live })),
        Effect.withSpan(`${plugin.name}.observe`),
      )
    },
    { concurrency: "unbounded" },
  )

/** A plan's steps with what applying them needs, and the problems diff found. */
export interface Diffed<R> {
  readonly planned: ReadonlyArray<PlannedStep<R>>
  readonly problems: ReadonlyArray<Problem>
}

/** Wraps one plugin change in the shared Step envelope. */
export const toStep = <R>(plugin: AnyPlugin<R>, c: PlannedChange<unknown>, fingerprintKey: string): Step =>
  new Step({
    address: `${plugin.name}/${c.key}`,
    plugin: plugin.name,
    wave: plugin.wave,
    action: c.action,
    ...(c.before === undefined ? {} : { before: toDisplay(fingerprintKey, c.before) }),
    ...(c.after === undefined ? {} : { after: toDisplay(fingerprintKey, c.after) }),
    sensitive: c.sensitive ?? false,
    // delete and replace remove something whatever the plugin says; plugins may flag more
    destructive: c.destructive === true || isDestructiveAction(c.action),
    reason: c.reason,
    notes: c.notes ?? [],
    ...(c.members === undefined
      ? {}
      : {
          members: c.members.map(
            (m) =>
              new StepMember({
                address: `${plugin.name}/${m.key}`,
                action: m.action,
                ...(m.before === undefined ? {} : { before: toDisplay(fingerprintKey, m.before) }),
                ...(m.after === undefined ? {} : { after: toDisplay(fingerprintKey, m.after) }),
                sensitive: m.sensitive ?? false,
                destructive: m.destructive === true || isDestructiveAction(m.action),
                reason: m.reason,
              }),
          ),
        }),
  })

/**
 * Pure: the ordered steps the observations call for, and the problems found. Plugins are diffed in
 * wave order, each seeing the steps of earlier waves; a plugin with `seesLaterWaves` is diffed last
 * and also sees the later waves' steps (backup learns from the plan whether the database changes).
 * `around` adds steps a partial re-diff cannot see (the executor's later waves of this pass).
 */
export const diffAll = <R>(
  observations: ReadonlyArray<Observation<R>>,
  ctx: RunContext,
  fingerprintKey: string,
  around: Partial<PlanView> = {},
): Diffed<R> => {
  const planned: Array<PlannedStep<R>> = []
  const problems: Array<Problem> = []
  const before = (wave: Wave) => [
    ...(around.earlier ?? []),
    ...planned.filter((p) => waveIndex(p.step.wave) < waveIndex(wave)).map((p) => p.step),
  ]
  const after = (wave: Wave) => [
    ...planned.filter((p) => waveIndex(p.step.wave) > waveIndex(wave)).map((p) => p.step),
    ...(around.later ?? []),
  ]
  const byWave = [...observations].sort((a, b) => waveIndex(a.plugin.wave) - waveIndex(b.plugin.wave))
  const diffOne = ({ plugin, desired, live }: Observation<R>, view: PlanView) => {
    const result = diffResultOf(plugin.diff(desired, live, ctx, view))
    for (const c of result.changes)
      planned.push({ step: toStep(plugin, c, fingerprintKey), plugin, change: c.change })
    for (const p of result.problems ?? [])
      problems.push(
        new Problem({
          address: p.key === undefined ? plugin.name : `${plugin.name}/${p.key}`,
          plugin: plugin.name,
          severity: p.severity ?? "error",
          message: p.message,
        }),
      )
  }
  for (const o of byWave)
    if (o.plugin.seesLaterWaves !== true)
      diffOne(o, { earlier: before(o.plugin.wave), later: around.later ?? [] })
  for (const o of byWave)
    if (o.plugin.seesLaterWaves === true)
      diffOne(o, { earlier: before(o.plugin.wave), later: after(o.plugin.wave) })
  return { planned: planned.sort((a, b) => compareSteps(a.step, b.step)), problems }
}

export const warningsOf = <R>(
  observations: ReadonlyArray<Observation<R>>,
  ctx: RunContext,
): ReadonlyArray<string> =>
  observations.flatMap(({ plugin, desired, live }) => plugin.warnings?.(desired, live, ctx) ?? [])

/**
 * What a plan's fingerprint covers: the desired spec (secrets keyed, never stored) and every
 * observation, less the health readings each plugin leaves out (`fingerprinted`).
 */
export const stateFingerprint = <R>(
  spec: unknown,
  observations: ReadonlyArray<Observation<R>>,
  nonce: string,
): string =>
  fingerprintLive(
    {
      spec,
      live: observations.map((o) => ({
        plugin: o.plugin.name,
        live: o.plugin.fingerprinted === undefined ? o.live : o.plugin.fingerprinted(o.live),
      })),
    },
    nonce,
  )

/** Builds the plan data for a set of observations. */
export const makePlan = <R>(options: {
  readonly env: string
  readonly spec: unknown
  readonly manifest: { readonly file: string; readonly digest: string }
  readonly observations: ReadonlyArray<Observation<R>>
  readonly planned: ReadonlyArray<PlannedStep<R>>
  readonly problems: ReadonlyArray<Problem>
  readonly ctx: RunContext
  readonly now: Date
  readonly nonce?: string
}): Plan => {
  const nonce = options.nonce ?? newNonce()
  const health = healthOf(options.observations, options.ctx, options.now)
  return new Plan({
    kind: "plan",
    formatVersion: planFormatVersion,
    env: options.env,
    manifest: options.manifest,
    createdAt: options.now.toISOString(),
    steps: options.planned.map((p) => p.step),
    warnings: [...warningsOf(options.observations, options.ctx)],
    problems: [...options.problems],
    ...(health.length === 0 ? {} : { health }),
    live: { fingerprint: stateFingerprint(options.spec, options.observations, nonce), nonce },
    ...(options.ctx.rollback === undefined ? {} : { rollback: { ...options.ctx.rollback } }),
  })
}
