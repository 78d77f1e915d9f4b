/** Cross-section validation for the Heroku sections: any of addons, pipeline, domains, drains, config, formation needs `app`. */
import type { CrossCheckProblem as SpecProblem } from "../../engine/manifestSpec.ts"

const dependents = ["addons", "pipeline", "domains", "drains", "config", "formation"] as const

/** Problems with the whole decoded spec: a Heroku section used without `spec.app`. */
export const appProblems = (spec: Readonly<Record<string, unknown>>): ReadonlyArray<SpecProblem> =>
  spec.app !== undefined
    ? []
    : dependents
        .filter((key) => spec[key] !== undefined)
        .map((key) => ({
          path: [key],
          message: `the ${key} section needs the app section (spec.app.name names the Heroku app)`,
        }))

/** The plugin's load-time check: appProblems at their place in the manifest (under `spec`). */
export const appChecks = (spec: Readonly<Record<string, unknown>>): ReadonlyArray<SpecProblem> =>
  appProblems(spec).map((p) => ({ ...p, path: ["spec", ...p.path] }))
