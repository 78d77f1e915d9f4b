/**
 * An in-memory plugin for engine tests, made of replaceable functions: the store is a Map, and
 * `onApply` can fail, hang or return Pending per attempt. Every apply is recorded in `log`.
 */
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type { ErrorReason } from "../errors.ts"
import { PluginError } from "../errors.ts"
import { section } from "../manifest/index.ts"
import type { Wave } from "../plan/order.ts"
import { type AnyPlugin, type ApplyResult, definePlugin, done, type PlannedChange } from "../plugin/Plugin.ts"

export interface FakeChange {
  readonly key: string
  readonly value: string | undefined
}

export interface FakeOptions {
  readonly name: string
  readonly wave: Wave
  readonly store?: Map<string, string>
  readonly log?: Array<string>
  /** Called on every attempt with the attempt number (1-based); undefined means "apply normally". */
  readonly onApply?: (
    change: FakeChange,
    attempt: number,
  ) => Effect.Effect<ApplyResult<never>, PluginError> | undefined
  readonly observe?: () => Effect.Effect<void, PluginError>
  /** The plugin's `landed` hook (none when absent). */
  readonly landed?: (change: FakeChange) => Effect.Effect<Option.Option<ApplyResult<never>>, PluginError>
}

export const FakeSpec = Schema.Struct({
  values: Schema.Record({ key: Schema.String, value: Schema.String }),
  prune: Schema.optional(Schema.Boolean),
})
export type FakeSpec = typeof FakeSpec.Type

export interface Fake {
  readonly plugin: AnyPlugin<never>
  readonly store: Map<string, string>
  readonly log: Array<string>
  readonly attempts: Map<string, number>
}

export const failWith = (reason: ErrorReason, detail = `injected ${reason}`) =>
  Effect.fail(new PluginError({ reason, detail }))

export const makeFake = (options: FakeOptions): Fake => {
  const store = options.store ?? new Map<string, string>()
  const log = options.log ?? []
  const attempts = new Map<string, number>()
  const write = (c: FakeChange) =>
    Effect.sync(() => {
      if (c.value === undefined) store.delete(c.key)
      else store.set(c.key, c.value)
      log.push(`${options.name}/${c.key}`)
    })
  const plugin = definePlugin<FakeSpec, ReadonlyMap<string, string>, FakeChange, never>({
    name: options.name,
    section: section(options.name, FakeSpec),
    wave: options.wave,
    observe: () => (options.observe?.() ?? Effect.void).pipe(Effect.map(() => new Map(store))),
    diff: (desired, live) => {
      const changes: Array<PlannedChange<FakeChange>> = []
      for (const [key, value] of Object.entries(desired.values)) {
        const have = live.get(key)
        if (have === value) continue
        changes.push({
          key,
          action: have === undefined ? "create" : "update",
          ...(have === undefined ? {} : { before: have }),
          after: value,
          reason: have === undefined ? "missing" : "differs",
          change: { key, value },
        })
      }
      if (desired.prune) {
        for (const key of [...live.keys()].filter((k) => !(k in desired.values))) {
          changes.push({
            key,
            action: "delete",
            before: live.get(key) ?? null,
            destructive: true,
            reason: "undeclared",
            change: { key, value: undefined },
          })
        }
      }
      return changes
    },
    apply: (change) =>
      Effect.suspend(() => {
        const n = (attempts.get(change.key) ?? 0) + 1
        attempts.set(change.key, n)
        const custom = options.onApply?.(change, n)
        return custom ?? write(change).pipe(Effect.as(done()))
      }),
    ...(options.landed === undefined ? {} : { landed: options.landed }),
  })
  return { plugin, store, log, attempts }
}

/** Applies a change to a fake's store directly (what a Pending check does when the work finishes). */
export const commit = (fake: Fake, change: FakeChange) =>
  Effect.sync(() => {
    if (change.value === undefined) fake.store.delete(change.key)
    else fake.store.set(change.key, change.value)
    fake.log.push(`${fake.plugin.name}/${change.key}`)
  })
