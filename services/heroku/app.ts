/**
 * The Heroku app every Heroku plugin works on: its name comes from `spec.app.name` (the app plugin
 * owns the section; the others read it through the run context) and its API paths from the name.
 */
import * as Effect from "effect/Effect"
import { PluginError, type RunContext } from "../../engine/index.ts"

/** `spec.app.name`, if the manifest declares a non-empty one. */
export const appNameIn = (spec: Readonly<Record<string, unknown>>): string | undefined => {
  const app = spec.app
  if (typeof app !== "object" || app === null) return undefined
  const name = (app as { readonly name?: unknown }).name
  return typeof name === "string" && name !== "" ? name : undefined
}

/** The app name for `section`'s plugin; a missing app section is a terminal `Invalid` error. */
export const appNameOf = (ctx: RunContext, section: string): Effect.Effect<string, PluginError> => {
  const name = appNameIn(ctx.spec)
  return name !== undefined
    ? Effect.succeed(name)
    : Effect.fail(
        PluginError.invalid(
          `the ${section} section needs the app section (spec.app.name names the Heroku app)`,
        ),
      )
}

/** `/apps/<name>` with the name escaped. */
export const appPath = (app: string, rest = ""): string => `/apps/${encodeURIComponent(app)}${rest}`
