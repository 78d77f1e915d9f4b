/**
 * The dashboard's state: one view per environment, refreshed on demand and on an interval. A
 * refresh checks the environments one at a time and skips (defers) any whose last known cost no
 * longer fits the shared rate budget; the interval stretches so a full refresh every interval
 * stays within the budget's hourly rate.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"
import { deployableEnvironments, type SecretEnv } from "../engine/index.ts"
import type { BudgetSnapshot, RateBudget } from "./budget.ts"
import { type CheckConfig, checkEnv, type EnvView, uncheckedView } from "./check.ts"

/** What one check costs before it has been measured (requests). */
export const defaultEstimate = 30

export interface Overview {
  readonly kind: "overview"
  readonly generatedAt: string
  readonly envs: ReadonlyArray<EnvView>
  readonly budget: BudgetSnapshot
  readonly refreshing: boolean
  /** Seconds between automatic refreshes (0: none), after stretching to fit the budget. */
  readonly intervalSeconds: number
}

export interface Dashboard {
  /** Refreshes every environment unless a refresh is already running (then returns at once). */
  readonly refresh: Effect.Effect<void, never, SecretEnv>
  readonly overview: Effect.Effect<Overview>
  /** Refreshes now and then every interval, forever (fork it). */
  readonly loop: Effect.Effect<never, never, SecretEnv>
}

const estimateOf = (v: EnvView) => (v.requests > 0 ? v.requests : defaultEstimate)

export const makeDashboard = <R>(options: {
  readonly check: CheckConfig<R>
  readonly dir: string
  readonly budget: RateBudget
  /** Requested seconds between automatic refreshes; 0 refreshes only on demand. */
  readonly intervalSeconds: number
}): Effect.Effect<Dashboard> =>
  Effect.gen(function* () {
    const views = yield* Ref.make<ReadonlyArray<EnvView>>([])
    const refreshing = yield* Ref.make(false)
    const now = () => new Date()
    const { perHour } = yield* options.budget.snapshot

    const envNames = deployableEnvironments(options.dir, { includeLocal: true }).pipe(
      Effect.orElse(() => Effect.map(Ref.get(views), (vs) => vs.map((v) => v.env))),
    )

    const put = (view: EnvView) => Ref.update(views, (vs) => vs.map((v) => (v.env === view.env ? view : v)))

    const refreshOne = (env: string) =>
      Effect.gen(function* () {
        const previous = (yield* Ref.get(views)).find((v) => v.env === env) ?? uncheckedView(env)
        const left = (yield* options.budget.snapshot).remaining
        const estimate = estimateOf(previous)
        if (left < estimate) {
          const at = new Date(yield* Clock.currentTimeMillis).toISOString().slice(11, 19)
          return yield* put({
            ...previous,
            deferred: `not refreshed at ${at}Z: a check costs about ${estimate} Heroku requests and the budget has ${left} left`,
          })
        }
        yield* put(yield* checkEnv(options.check, options.dir, env, now))
      })

    const refreshAll = Effect.gen(function* () {
      const names = yield* envNames
      yield* Ref.update(views, (vs) => names.map((n) => vs.find((v) => v.env === n) ?? uncheckedView(n)))
      yield* Effect.forEach(names, refreshOne, { discard: true })
    })

    const refresh = Effect.flatMap(Ref.getAndSet(refreshing, true), (already) =>
      already ? Effect.void : Effect.ensuring(refreshAll, Ref.set(refreshing, false)),
    )

    const intervalSeconds = Effect.map(Ref.get(views), (vs) => {
      if (options.intervalSeconds <= 0) return 0
      const cost = vs.reduce((n, v) => n + estimateOf(v), 0)
      return Math.max(options.intervalSeconds, Math.ceil((cost * 3600) / Math.max(1, perHour)))
    })

    const overview = Effect.gen(function* () {
      return {
        kind: "overview" as const,
        generatedAt: now().toISOString(),
        envs: yield* Ref.get(views),
        budget: yield* options.budget.snapshot,
        refreshing: yield* Ref.get(refreshing),
        intervalSeconds: yield* intervalSeconds,
      }
    })

    const loop: Effect.Effect<never, never, SecretEnv> = Effect.forever(
      Effect.zipRight(
        refresh,
        Effect.flatMap(intervalSeconds, (s) =>
          Effect.sleep(s === 0 ? Duration.infinity : Duration.seconds(s)),
        ),
      ),
    )
    yield* Ref.set(views, (yield* envNames).map(uncheckedView))
    return { refresh, overview, loop }
  })
