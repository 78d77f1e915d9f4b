/**
 * Per-run state: what plugins remember within one run (a built artifact, "a backup was taken", when
 * a step's first attempt started) and forget with it. The run builds a fresh one (`RunState.layer`),
 * so nothing leaks between runs in one process; plugins hold no mutable module state. Resources a
 * run opens once and shares between steps (a database session) close when the run ends.
 */
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"

/** A typed key: the name says whose state it is (`release.artifact`), `A` what it holds. */
export interface RunKey<A> {
  readonly name: string
  readonly _A?: A
}

export const runKey = <A>(name: string): RunKey<A> => ({ name })

const id = (key: RunKey<unknown>, part: string) => `${key.name}\u0000${part}`

export interface RunStateService {
  readonly get: <A>(key: RunKey<A>, part?: string) => Effect.Effect<Option.Option<A>>
  readonly set: <A>(key: RunKey<A>, value: A, part?: string) => Effect.Effect<void>
  readonly remove: (key: RunKey<unknown>, part?: string) => Effect.Effect<void>
  /**
   * The value of `make` computed once per run and `part`; concurrent callers share one computation.
   * A failure is not remembered, so a later call computes again.
   */
  readonly memo: <A, E, R>(
    key: RunKey<A>,
    part: string,
    make: Effect.Effect<A, E, R>,
  ) => Effect.Effect<A, E, R>
  /**
   * A resource opened once per run and `part` (a database session), shared by every later caller;
   * it closes when the run ends or on `release`. A failed acquisition is not remembered.
   */
  readonly resource: <A, E, R>(
    key: RunKey<A>,
    part: string,
    acquire: Effect.Effect<A, E, R | Scope.Scope>,
  ) => Effect.Effect<A, E, Exclude<R, Scope.Scope>>
  /**
   * Closes the resource of `key` and `part` now (a broken session); the next caller opens a new one.
   * `exit` is what its finalizers see (default success; an interruption, for a step cut off mid-work).
   */
  readonly release: (
    key: RunKey<unknown>,
    part?: string,
    exit?: Exit.Exit<unknown, unknown>,
  ) => Effect.Effect<void>
}

export class RunState extends Context.Tag("reconcile/RunState")<RunState, RunStateService>() {
  /** A fresh, empty state: build one per run; its resources close with the layer's scope. */
  static readonly layer: Layer.Layer<RunState> = Layer.scoped(
    RunState,
    Effect.map(Effect.scope, (scope) => makeRunState(scope)),
  )
}

/** A fresh, empty per-run state whose resources live in `runScope`. */
export const makeRunState = (runScope: Scope.Scope): RunStateService => {
  const values = new Map<string, unknown>()
  const cells = new Map<string, Deferred.Deferred<unknown, unknown>>()
  // memo values once computed, answered without awaiting their cell (a wave's steps ask per step)
  const known = new Map<string, unknown>()
  const scopes = new Map<string, Scope.CloseableScope>()
  const service: RunStateService = {
    get: <A>(key: RunKey<A>, part = "") =>
      Effect.sync(() => {
        const k = id(key, part)
        return values.has(k) ? Option.some(values.get(k) as A) : Option.none()
      }),
    set: (key, value, part = "") => Effect.sync(() => void values.set(id(key, part), value)),
    remove: (key, part = "") => Effect.sync(() => void values.delete(id(key, part))),
    memo: <A, E, R>(key: RunKey<A>, part: string, make: Effect.Effect<A, E, R>) =>
      Effect.suspend((): Effect.Effect<A, E, R> => {
        const k = id(key, part)
        if (known.has(k)) return Effect.succeed(known.get(k) as A)
        const computing = cells.get(k) as Deferred.Deferred<A, E> | undefined
        if (computing !== undefined) return Deferred.await(computing)
        const cell = Deferred.unsafeMake<A, E>(FiberId.none)
        cells.set(k, cell as Deferred.Deferred<unknown, unknown>)
        return make.pipe(
          Effect.onExit((exit) => {
            if (Exit.isSuccess(exit)) {
              // unless released while it was computed
              if (cells.get(k) === cell) known.set(k, exit.value)
              return Deferred.succeed(cell, exit.value)
            }
            cells.delete(k)
            return Deferred.done(cell, exit)
          }),
        )
      }),
    resource: <A, E, R>(key: RunKey<A>, part: string, acquire: Effect.Effect<A, E, R | Scope.Scope>) =>
      service.memo(
        key,
        part,
        Effect.flatMap(Scope.fork(runScope, ExecutionStrategy.sequential), (own) =>
          Scope.extend(acquire, own).pipe(
            Effect.onExit((exit) =>
              Exit.isSuccess(exit)
                ? Effect.sync(() => void scopes.set(id(key, part), own))
                : Scope.close(own, exit),
            ),
          ),
        ) as Effect.Effect<A, E, Exclude<R, Scope.Scope>>,
      ),
    release: (key, part = "", exit = Exit.void) =>
      Effect.suspend(() => {
        const k = id(key, part)
        const own = scopes.get(k)
        cells.delete(k)
        known.delete(k)
        scopes.delete(k)
        return own === undefined ? Effect.void : Scope.close(own, exit)
      }),
  }
  return service
}

/** `RunState.memo` as an effect that needs the service. */
export const memo = <A, E, R>(key: RunKey<A>, part: string, make: Effect.Effect<A, E, R>) =>
  Effect.flatMap(RunState, (state) => state.memo(key, part, make))
