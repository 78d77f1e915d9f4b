/**
 * From an app's facts to the shared spec every environment starts from, plus what was inferred and
 * what the user must still decide. Pure: the same facts always give the same result, so running
 * `init` twice writes the same files.
 */
import type { AppFacts } from "./facts.ts"

export type Spec = Record<string, unknown>

export interface Inference {
  /** The app's name stem (`<stem>-staging`, ...). */
  readonly stem: string
  readonly base: Spec
  /** Config vars the local environment sets to placeholders (secrets it cannot read from a runner). */
  readonly localVars: Readonly<Record<string, string>>
  /** database.url for local runs, when the shared one reads a runner variable. */
  readonly localDatabaseUrl?: Spec
  readonly inferred: ReadonlyArray<string>
  readonly decide: ReadonlyArray<string>
}

/** Heroku's default attachment names for the usual data add-ons. */
const attachmentFor = (service: string) =>
  service === "heroku-postgresql"
    ? "DATABASE"
    : service === "heroku-redis"
      ? "REDIS"
      : service.toUpperCase().replace(/[^A-Z0-9]+/g, "_")
const defaultPlans: Readonly<Record<string, string>> = {
  "heroku-postgresql": "essential-0",
  "heroku-redis": "mini",
}

/** A valid Heroku app name stem (lowercase, digits, dashes; room for `-production`). */
export const stemOf = (raw: string): string => {
  const slug = raw
    .toLowerCase()
    .replace(/^@[^/]+\//, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "")
    .slice(0, 18)
    .replace(/-+$/, "")
  return slug.length >= 2 ? slug : "my-app"
}

/** Top-level entries that never belong in a release's source (dotfiles but npm's and Node's own). */
const notSource = (name: string) =>
  (name.startsWith(".") && !/^\.(npmrc|nvmrc|node-version)$/.test(name)) ||
  /^(node_modules|manifests|coverage|.*\.log)$/.test(name)

export const infer = (facts: AppFacts): Inference => {
  const inferred: Array<string> = []
  const decide: Array<string> = []
  const app = facts.appJson
  const stem = stemOf(facts.packageJson?.name ?? facts.folder)
  inferred.push(
    `app names ${stem}-local, ${stem}-staging, ${stem}-production (from ${facts.packageJson?.name === undefined ? "the folder name" : "package.json name"})`,
  )
  decide.push("the Heroku app names and the region (us) in each environment's file")

  const buildpacks = app?.buildpacks.length ? app.buildpacks : ["heroku/nodejs"]
  const appSpec = { name: `${stem}-base`, region: "us", stack: app?.stack ?? "heroku-24", buildpacks }
  if (app?.buildpacks.length) inferred.push(`buildpacks ${buildpacks.join(", ")} (app.json)`)

  const addons = (app?.addons ?? []).flatMap((a) => {
    const [service = a.plan, plan] = a.plan.split(":")
    const chosen = plan ?? defaultPlans[service]
    if (chosen === undefined) {
      decide.push(`a plan for the add-on ${service} (app.json names none); add it to spec.addons`)
      return []
    }
    if (plan === undefined) decide.push(`the plan of ${service} (${chosen} assumed)`)
    const as = (a.as ?? attachmentFor(service)).toUpperCase().replace(/[^A-Z0-9_]+/g, "_")
    return [{ plan: `${service}:${chosen}`, as }]
  })
  if (addons.length > 0)
    inferred.push(`add-ons ${addons.map((a) => `${a.as}=${a.plan}`).join(", ")} (app.json)`)
  const owned = new Set(addons.map((a) => `${a.as}_URL`))

  const vars: Record<string, unknown> = {}
  const localVars: Record<string, string> = {}
  const secrets: Array<string> = []
  for (const [key, v] of Object.entries(app?.env ?? {})) {
    if (owned.has(key)) continue
    if (v.generator === "secret" || (v.value === undefined && v.required !== false)) {
      vars[key] = { fromEnv: key }
      localVars[key] = `local-${key.toLowerCase().replace(/_/g, "-")}-not-secret`
      secrets.push(key)
    } else if (v.value !== undefined) vars[key] = v.value
    else decide.push(`${key}: optional in app.json with no value, left out`)
  }
  if (Object.keys(vars).length > 0)
    inferred.push(`config vars ${Object.keys(vars).join(", ")} (app.json env)`)
  if (secrets.length > 0)
    decide.push(
      `secrets ${secrets.join(", ")}: read from the runner's environment (set them as repository secrets); local.yaml uses placeholders`,
    )

  const formation: Record<string, { quantity: number; size: string }> = {}
  const types = [...(facts.procfile ?? []), ...Object.keys(app?.formation ?? {})].filter(
    (t, i, all) => t !== "release" && all.indexOf(t) === i,
  )
  for (const type of types) {
    const f = app?.formation[type]
    formation[type] = { quantity: f?.quantity ?? 1, size: f?.size ?? "basic" }
  }
  if (types.length > 0)
    inferred.push(
      `formation ${types.map((t) => `${t}=${formation[t]?.quantity}`).join(", ")} (Procfile, app.json)`,
    )
  else decide.push("the formation: no Procfile process types were found")
  if (facts.procfile?.includes("release"))
    inferred.push("a release phase (Procfile release:), run on every deploy")
  if (types.length > 0) decide.push("dyno sizes and quantities for production (basic assumed)")

  if (app === undefined) decide.push("no app.json: declare the add-ons and config vars in base.yaml")
  const spec: Spec = { app: appSpec }
  if (addons.length > 0) spec.addons = addons
  if (addons.length > 0 || Object.keys(vars).length > 0)
    spec.config = { vars, required: addons.map((a) => `${a.as}_URL`), prune: false }
  if (types.length > 0) spec.formation = formation

  const prisma = facts.prisma
  const database = prismaDatabase(prisma, owned, inferred, decide)
  if (database !== undefined) spec.database = database.shared

  const build = facts.packageJson?.scripts["heroku-postbuild"] !== undefined ? "heroku-postbuild" : "build"
  if (facts.packageJson?.scripts[build] !== undefined)
    inferred.push(`npm run ${build} runs in the build, as the Node.js buildpack does (package.json)`)
  if (facts.packageJson === undefined) decide.push("no package.json: the Node.js buildpack builds from one")
  else if (!facts.packageJson.hasLockfile)
    decide.push("commit a package-lock.json: builds install from the lockfile")
  const include = facts.entries.filter((e) => !notSource(e))
  if (include.length > 0) {
    spec.release = { source: { dir: ".", include } }
    inferred.push(`release source: ${include.join(", ")} (add new top-level files to release.source.include)`)
  } else decide.push("what to deploy: no source files were found, so spec.release is left out")
  if (formation.web !== undefined) {
    spec.health = { path: "/", expect: { status: 200 }, timeout: "2m" }
    decide.push("the health check path (/ assumed; a /health route is better)")
  }
  return {
    stem,
    base: spec,
    localVars,
    ...(database?.local === undefined ? {} : { localDatabaseUrl: database.local }),
    inferred,
    decide,
  }
}

const prismaDatabase = (
  prisma: AppFacts["prisma"],
  owned: ReadonlySet<string>,
  inferred: Array<string>,
  decide: Array<string>,
) => {
  if (prisma === undefined) return undefined
  const configVar = prisma.urlEnv ?? "DATABASE_URL"
  const url =
    prisma.directUrlEnv === undefined ? { fromConfigVar: configVar } : { fromEnv: prisma.directUrlEnv }
  inferred.push(
    prisma.directUrlEnv === undefined
      ? `database.url from the config var ${configVar} (prisma/schema.prisma url)`
      : `database.url from the runner's ${prisma.directUrlEnv} (prisma/schema.prisma directUrl)`,
  )
  if (!owned.has(configVar) && prisma.directUrlEnv === undefined)
    decide.push(`${configVar}: no add-on provides it; add a heroku-postgresql add-on or set it`)
  const shared: Record<string, unknown> = { url, backup: { provider: "heroku" } }
  if (prisma.migrations !== undefined) {
    shared.migrations = { dir: prisma.migrations, target: "latest" }
    inferred.push(`migrations from ${prisma.migrations}, a verified backup before each change`)
  } else decide.push("no prisma/migrations folder: migrations are left out")
  return {
    shared,
    ...(prisma.directUrlEnv === undefined ? {} : { local: { fromConfigVar: configVar } }),
  }
}
