/** Test support: a made-up plugin section exercising maps, secrets, lists, literals and numbers. */
import * as Schema from "effect/Schema"
import { StringOrSecret } from "./Secret.ts"
import { section } from "./Section.ts"

export const FakeSpec = Schema.Struct({
  vars: Schema.Record({ key: Schema.String, value: StringOrSecret }),
  tags: Schema.optional(Schema.Array(Schema.String)),
  prune: Schema.optional(Schema.Boolean),
  quantity: Schema.optional(Schema.Number),
  region: Schema.optional(Schema.Literal("us", "eu")),
})

export const fakeSection = section("fake", FakeSpec, "A made-up section for tests")
export const otherSection = section("other", Schema.Struct({ enabled: Schema.Boolean }))
export const testSections = [fakeSection, otherSection]

export const fixtures = "test/fixtures/manifests"
