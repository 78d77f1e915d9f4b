/** The `formation` section: dyno quantity and size per process type. */
import * as Schema from "effect/Schema"
import { section } from "../../engine/manifestSpec.ts"

export const ProcessSpec = Schema.Struct({
  quantity: Schema.Int.pipe(Schema.between(0, 100)).annotations({
    description: "number of dynos; scaling a running process to 0 is destructive",
    message: () => "expected a whole number of dynos from 0 to 100",
  }),
  size: Schema.optional(Schema.String).annotations({
    description: "dyno size, any case (standard-1x, Performance-M); absent leaves it alone",
  }),
})

/** Process type names are checked by a filter so a bad one says why, not "unknown key". */
export const FormationSpec = Schema.Record({ key: Schema.String, value: ProcessSpec }).pipe(
  Schema.filter((processes) =>
    Object.keys(processes)
      .filter((k) => !/^[-\w]{1,128}$/.test(k))
      .map((k) => ({ path: [k], message: "expected a process type (letters, digits, _ and -)" })),
  ),
)
export type FormationSpec = typeof FormationSpec.Type

export const formationSection = section("formation", FormationSpec, "dynos per process type")
