/**
 * The stand-in plugin used until the real ones land: it converges a local JSON key/value file
 * (`.reconcile/fake/<env>.json` by default) to `spec.fake.values`. It exercises the whole engine
 * (secrets, destructive prunes, saved plans, convergence) with no external system.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { PluginError } from "../../engine/errors.ts"
import { StringOrSecret, section } from "../../engine/manifest/index.ts"
import { definePlugin, done, type PlannedChange, type RunContext } from "../../engine/plugin/Plugin.ts"
import { isKnownPlain } from "../../engine/secrets.ts"

export const FakeSpec = Schema.Struct({
  store: Schema.optional(Schema.String).annotations({
    description: "JSON file to converge; default .reconcile/fake/<env>.json",
  }),
  values: Schema.Record({ key: Schema.String, value: StringOrSecret }),
  prune: Schema.optional(Schema.Boolean).annotations({
    description: "delete keys the manifest does not declare",
  }),
})
export type FakeSpec = typeof FakeSpec.Type

type Live = Readonly<Record<string, string>>
interface Change {
  readonly file: string
  readonly key: string
  readonly value: string | undefined
}

const storeFile = (desired: FakeSpec, ctx: RunContext) => desired.store ?? `.reconcile/fake/${ctx.env}.json`

const read = (file: string): Effect.Effect<Live, PluginError> =>
  Effect.try({
    try: () => JSON.parse(readFileSync(file, "utf8")) as Live,
    catch: (e) => e as NodeJS.ErrnoException,
  }).pipe(
    Effect.catchAll((e) =>
      e.code === "ENOENT"
        ? Effect.succeed({})
        : Effect.fail(new PluginError({ reason: "Invalid", detail: `cannot read ${file}: ${e.message}` })),
    ),
  )

const write = (file: string, live: Live) =>
  Effect.try({
    try: () => {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(`${file}.tmp`, `${JSON.stringify(live, null, 2)}\n`, { mode: 0o600 })
      renameSync(`${file}.tmp`, file)
    },
    catch: (e) =>
      new PluginError({ reason: "Unavailable", detail: `cannot write ${file}: ${(e as Error).message}` }),
  })

const diff = (desired: FakeSpec, live: Live, ctx: RunContext): ReadonlyArray<PlannedChange<Change>> => {
  const file = storeFile(desired, ctx)
  const changes: Array<PlannedChange<Change>> = []
  for (const [key, want] of Object.entries(desired.values)) {
    const plain = Redacted.isRedacted(want) ? Redacted.value(want) : want
    const have = live[key]
    if (have === plain) continue
    // shown in clear only when both the manifest and the stored value are known plain
    const sensitive =
      Redacted.isRedacted(want) ||
      !isKnownPlain(key, plain) ||
      (have !== undefined && !isKnownPlain(key, have))
    const shown = (v: string) => (sensitive ? Redacted.make(v) : v)
    changes.push({
      key,
      action: have === undefined ? "create" : "update",
      ...(have === undefined ? {} : { before: shown(have) }),
      after: shown(plain),
      sensitive,
      reason:
        have === undefined
          ? "declared in the manifest, missing in the store"
          : "value differs from the manifest",
      change: { file, key, value: plain },
    })
  }
  if (desired.prune === true) {
    for (const key of Object.keys(live).filter((k) => !(k in desired.values))) {
      changes.push({
        key,
        action: "delete",
        before: Redacted.make(live[key] ?? ""),
        sensitive: true,
        destructive: true,
        reason: "not declared in the manifest and prune is on",
        change: { file, key, value: undefined },
      })
    }
  }
  return changes
}

/** Steps of one wave run concurrently; the store's read-modify-write must not interleave. */
const storeLock = Effect.unsafeMakeSemaphore(1)

export const fakePlugin = definePlugin<FakeSpec, Live, Change, never>({
  name: "fake",
  section: section(
    "fake",
    FakeSpec,
    "stand-in target: a local JSON key/value file (until the real plugins land)",
  ),
  wave: "config",
  observe: (desired, ctx) => read(storeFile(desired, ctx)),
  diff,
  apply: (change) =>
    read(change.file).pipe(
      Effect.map((live) => {
        const next: Record<string, string> = { ...live }
        if (change.value === undefined) delete next[change.key]
        else next[change.key] = change.value
        return next
      }),
      Effect.flatMap((next) => write(change.file, next)),
      Effect.as(done()),
      storeLock.withPermits(1),
    ),
})
