/**
 * One Heroku rate budget shared by every environment the dashboard refreshes: a token bucket of
 * `perHour` requests that refills continuously (Heroku's own limit works the same way, 4,500 an
 * hour per account, so the default leaves most of it to deploys). Every request the dashboard's
 * dry-runs make takes a token through `budgetedClient`; with none left the request is refused
 * locally, never sent. Heroku's own `RateLimit-Remaining` is watched too: below `herokuReserve`
 * the dashboard stops asking.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Ref from "effect/Ref"

export const herokuReserve = 50

export interface BudgetSnapshot {
  readonly perHour: number
  /** Whole requests left now. */
  readonly remaining: number
  /** Requests the dashboard has made since it started. */
  readonly spent: number
  /** What Heroku last said was left for the account, if it said. */
  readonly herokuRemaining: number | null
}

export interface RateBudget {
  /** Takes one request's token; false when none is left (the request must not be sent). */
  readonly take: Effect.Effect<boolean>
  readonly snapshot: Effect.Effect<BudgetSnapshot>
  readonly sawHeroku: (remaining: number) => Effect.Effect<void>
}

interface State {
  readonly tokens: number
  readonly at: number
  readonly spent: number
  readonly heroku: number | null
}

export const makeBudget = (perHour: number): Effect.Effect<RateBudget> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<State>({
      tokens: perHour,
      at: yield* Clock.currentTimeMillis,
      spent: 0,
      heroku: null,
    })
    const refilled = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Ref.updateAndGet(state, (s) => ({
        ...s,
        tokens: Math.min(perHour, s.tokens + ((now - s.at) / 3_600_000) * perHour),
        at: now,
      })),
    )
    return {
      take: Effect.zipRight(
        refilled,
        Ref.modify(state, (s) =>
          s.tokens >= 1 && (s.heroku === null || s.heroku > herokuReserve)
            ? [true, { ...s, tokens: s.tokens - 1, spent: s.spent + 1 }]
            : [false, s],
        ),
      ),
      snapshot: Effect.map(refilled, (s) => ({
        perHour,
        remaining: Math.floor(s.tokens),
        spent: s.spent,
        herokuRemaining: s.heroku,
      })),
      sawHeroku: (remaining) => Ref.update(state, (s) => ({ ...s, heroku: remaining })),
    }
  })

/** An HttpClient whose every request spends one token of `budget` (refused locally when none is left) and counts in `requests`. */
export const budgetedClient = (
  budget: RateBudget,
  client: HttpClient.HttpClient,
  requests: Ref.Ref<number>,
): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.transform((send, request) =>
      Effect.flatMap(budget.take, (ok) =>
        ok
          ? Effect.zipRight(
              Ref.update(requests, (n) => n + 1),
              send,
            )
          : Effect.fail(
              new HttpClientError.RequestError({
                request,
                reason: "Transport",
                description: "the dashboard's Heroku rate budget is spent",
              }),
            ),
      ),
    ),
    HttpClient.tap((res) => {
      const left = Number(res.headers["ratelimit-remaining"])
      return Number.isFinite(left) ? budget.sawHeroku(left) : Effect.void
    }),
  )
