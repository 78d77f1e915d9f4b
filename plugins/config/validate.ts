/**
 * Validation of the config section against the whole spec: vars that add-ons set (DATABASE_URL,
 * REDIS_URL, HEROKU_POSTGRESQL_<COLOR>_URL, `<AS>_URL` of every declared add-on) cannot be
 * declared, because the add-on owns them and a write would be undone or refused.
 */
import type { CrossCheckProblem as SpecProblem } from "../../engine/manifestSpec.ts"

const ownedPatterns: ReadonlyArray<readonly [RegExp, string]> = [
  [/^DATABASE_URL$/, "heroku-postgresql"],
  [/^REDIS_URL$/, "heroku-redis"],
  [/^HEROKU_POSTGRESQL_[A-Z0-9_]+_URL$/, "heroku-postgresql"],
  [/^HEROKU_REDIS_[A-Z0-9_]+_URL$/, "heroku-redis"],
]

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const declaredAttachments = (addons: unknown): ReadonlyArray<string> =>
  Array.isArray(addons)
    ? addons.flatMap((e: unknown) =>
        isRecord(e) && typeof e.as === "string" && e.absent !== true ? [e.as] : [],
      )
    : []

/** Who sets `key`, if an add-on does. */
const ownerOf = (key: string, attachments: ReadonlyArray<string>): string | undefined => {
  const declared = attachments.find((as) => `${as}_URL` === key)
  if (declared !== undefined) return `the add-on attached as ${declared}`
  const pattern = ownedPatterns.find(([re]) => re.test(key))
  return pattern === undefined ? undefined : `a ${pattern[1]} add-on`
}

/**
 * Problems with the decoded spec's config section; paths are relative to `spec`
 * (e.g. `["config", "vars", "DATABASE_URL"]`).
 */
export const configProblems = (spec: Readonly<Record<string, unknown>>): ReadonlyArray<SpecProblem> => {
  const config = spec.config
  if (!isRecord(config) || !isRecord(config.vars)) return []
  const attachments = declaredAttachments(spec.addons)
  return Object.keys(config.vars).flatMap((key) => {
    const owner = ownerOf(key, attachments)
    return owner === undefined
      ? []
      : [
          {
            path: ["config", "vars", key],
            message: `${key} is set by ${owner} and cannot be declared here (list it in config.required to check that it exists)`,
          },
        ]
  })
}

/** The plugin's load-time check: configProblems at their place in the manifest (under `spec`). */
export const configChecks = (spec: Readonly<Record<string, unknown>>): ReadonlyArray<SpecProblem> =>
  configProblems(spec).map((p) => ({ ...p, path: ["spec", ...p.path] }))
