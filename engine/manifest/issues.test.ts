import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { FromEnv, secretEnvFromRecord } from "./index.ts"
import { flattenIssue, formatPath } from "./issues.ts"

class Cls extends Schema.Class<Cls>("Cls")({
  name: Schema.String,
  size: Schema.optional(Schema.Literal("s", "m")),
}) {}
const Url = Schema.Union(Schema.Struct({ fromConfigVar: Schema.String }), FromEnv)
const Sample = Schema.Struct({
  url: Schema.optional(Url),
  addons: Schema.optional(Schema.Array(Schema.Struct({ plan: Schema.String, as: Schema.String }))),
  count: Schema.optional(Schema.Int),
  mode: Schema.optional(Schema.Union(Schema.Literal("a"), Schema.Struct({ custom: Schema.String }))),
  cls: Schema.optional(Cls),
})

const issuesOf = (input: unknown) =>
  Schema.decodeUnknown(Sample, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Effect.either,
    Effect.map((r) =>
      Either.isLeft(r) ? flattenIssue(r.left.issue).map((i) => `${formatPath(i.path)}: ${i.message}`) : [],
    ),
    Effect.provide(secretEnvFromRecord({})),
  )

describe("flattenIssue", () => {
  it.effect("a union that fails at the top says what it accepts, once", () =>
    Effect.gen(function* () {
      expect(yield* issuesOf({ url: "str", mode: "weird" })).toEqual([
        'url: expected { fromConfigVar } or { fromEnv: NAME }, got "str"',
        'mode: expected "a" or { custom }, got "weird"',
      ])
    }),
  )

  it.effect("a union member that got further is the one reported", () =>
    Effect.gen(function* () {
      expect(yield* issuesOf({ url: { fromEnv: "NOPE" } })).toEqual([
        "url: environment variable NOPE is not set",
      ])
      expect(yield* issuesOf({ url: { fromConfigVar: 5 } })).toEqual([
        "url.fromConfigVar: expected a string, got 5",
      ])
    }),
  )

  it.effect("lists, refinements and classes", () =>
    Effect.gen(function* () {
      expect(
        yield* issuesOf({
          addons: [{ plan: "x", as: "DB", extra: 1 }, { as: 5 }, "nope"],
          count: 1.5,
          cls: { nme: "x", size: "big" },
        }),
      ).toEqual([
        'addons[0].extra: unknown key "extra" (known keys: plan, as)',
        'addons[1]: missing required key "plan"',
        "addons[1].as: expected a string, got 5",
        'addons[2]: expected { plan, as }, got "nope"',
        "count: expected an integer, got 1.5",
        'cls.nme: unknown key "nme" (did you mean "name"?)',
        'cls: missing required key "name"',
        'cls.size: expected one of "s" | "m", got "big"',
      ])
    }),
  )
})
