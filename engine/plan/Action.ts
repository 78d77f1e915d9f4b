/**
 * The closed set of things a step can do. Symbols and colours belong to the text renderer, not here.
 */
import * as Schema from "effect/Schema"

export const Action = Schema.Literal("create", "update", "replace", "delete", "run", "noop")
export type Action = typeof Action.Type

/** True when applying the step changes something. */
export const isMutating = (action: Action): boolean => action !== "noop"

/** True when the action by itself removes something (plugins may flag other steps destructive too). */
export const isDestructiveAction = (action: Action): boolean => action === "delete" || action === "replace"
