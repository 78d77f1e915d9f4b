/**
 * What `reconcile init` can learn about an app from its repository, read once and kept as plain
 * data: app.json (Heroku's app manifest), the Procfile, Prisma's schema and migrations, and
 * package.json. Every file is optional; what is missing is reported by infer.ts, not here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { PluginError } from "../engine/index.ts"

/** One `env` entry of app.json (a bare string is a value). */
export interface AppJsonVar {
  readonly value?: string
  readonly required?: boolean
  readonly generator?: string
  readonly description?: string
}

export interface AppFacts {
  readonly dir: string
  /** The folder's name, the fallback for the app's name. */
  readonly folder: string
  readonly appJson?: {
    readonly stack?: string
    readonly env: Readonly<Record<string, AppJsonVar>>
    readonly addons: ReadonlyArray<{ readonly plan: string; readonly as?: string }>
    readonly formation: Readonly<Record<string, { readonly quantity?: number; readonly size?: string }>>
    readonly buildpacks: ReadonlyArray<string>
  }
  /** Process types of the Procfile, in file order. */
  readonly procfile?: ReadonlyArray<string>
  readonly prisma?: {
    readonly urlEnv?: string
    readonly directUrlEnv?: string
    /** The migrations folder (relative), when it exists. */
    readonly migrations?: string
  }
  readonly packageJson?: {
    readonly name?: string
    readonly scripts: Readonly<Record<string, string>>
    readonly hasLockfile: boolean
  }
  /** Top-level entries of the folder, sorted (for the release source). */
  readonly entries: ReadonlyArray<string>
}

const invalid = (file: string, detail: string) =>
  new PluginError({ reason: "Invalid", detail: `${file}: ${detail}` })

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined)

const readJson = (dir: string, file: string) =>
  Effect.try({
    try: () => JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown,
    catch: (e) => invalid(file, `cannot read it as JSON (${(e as Error).message})`),
  })

/** The parts of app.json reconcile uses (https://devcenter.heroku.com/articles/app-json-schema). */
export const parseAppJson = (raw: unknown): NonNullable<AppFacts["appJson"]> => {
  const json = isObject(raw) ? raw : {}
  const env: Record<string, AppJsonVar> = {}
  for (const [key, v] of Object.entries(isObject(json.env) ? json.env : {})) {
    if (typeof v === "string") env[key] = { value: v }
    else if (isObject(v)) {
      const value = str(v.value)
      const generator = str(v.generator)
      const description = str(v.description)
      env[key] = {
        ...(value === undefined ? {} : { value }),
        ...(typeof v.required === "boolean" ? { required: v.required } : {}),
        ...(generator === undefined ? {} : { generator }),
        ...(description === undefined ? {} : { description }),
      }
    }
  }
  const addons = (Array.isArray(json.addons) ? json.addons : []).flatMap((a) => {
    if (typeof a === "string") return [{ plan: a }]
    const plan = isObject(a) ? str(a.plan) : undefined
    const as = isObject(a) ? str(a.as) : undefined
    return plan === undefined ? [] : [{ plan, ...(as === undefined ? {} : { as }) }]
  })
  const formation: Record<string, { quantity?: number; size?: string }> = {}
  for (const [type, f] of Object.entries(isObject(json.formation) ? json.formation : {})) {
    if (!isObject(f)) continue
    const size = str(f.size)
    formation[type] = {
      ...(typeof f.quantity === "number" ? { quantity: f.quantity } : {}),
      ...(size === undefined ? {} : { size }),
    }
  }
  const buildpacks = (Array.isArray(json.buildpacks) ? json.buildpacks : []).flatMap((b) => {
    const url = isObject(b) ? str(b.url) : undefined
    return url === undefined ? [] : [url]
  })
  const stack = str(json.stack)
  return { ...(stack === undefined ? {} : { stack }), env, addons, formation, buildpacks }
}

/** Process types of a Procfile (`type: command` lines). */
export const parseProcfile = (text: string): ReadonlyArray<string> =>
  text
    .split(/\r?\n/)
    .map((line) => /^([A-Za-z0-9_-]+):\s*\S/.exec(line)?.[1])
    .filter((t): t is string => t !== undefined)

/** `url` and `directUrl` of the `datasource` block of a Prisma schema, when they read env("NAME"). */
export const parseSchemaPrisma = (text: string): { urlEnv?: string; directUrlEnv?: string } => {
  const block = /datasource\s+\w+\s*\{([^}]*)\}/.exec(text.replace(/\/\/[^\n]*/g, ""))?.[1] ?? ""
  const envOf = (key: string) => new RegExp(`\\b${key}\\s*=\\s*env\\(\\s*"([^"]+)"\\s*\\)`).exec(block)?.[1]
  const urlEnv = envOf("url")
  const directUrlEnv = envOf("directUrl")
  return {
    ...(urlEnv === undefined ? {} : { urlEnv }),
    ...(directUrlEnv === undefined ? {} : { directUrlEnv }),
  }
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory()

/** Reads what the folder `dir` holds. */
export const readFacts = (dir: string): Effect.Effect<AppFacts, PluginError> =>
  Effect.gen(function* () {
    const root = resolve(dir)
    const has = (file: string) => existsSync(join(root, file))
    const text = (file: string) =>
      Effect.try({
        try: () => readFileSync(join(root, file), "utf8"),
        catch: (e) => invalid(file, `cannot read it (${(e as Error).message})`),
      })
    const appJson = has("app.json") ? parseAppJson(yield* readJson(root, "app.json")) : undefined
    const procfile = has("Procfile") ? parseProcfile(yield* text("Procfile")) : undefined
    const prisma = has("prisma/schema.prisma")
      ? {
          ...parseSchemaPrisma(yield* text("prisma/schema.prisma")),
          ...(isDir(join(root, "prisma/migrations")) ? { migrations: "prisma/migrations" } : {}),
        }
      : undefined
    const pkg = has("package.json") ? yield* readJson(root, "package.json") : undefined
    const packageJson = isObject(pkg)
      ? {
          ...(typeof pkg.name === "string" ? { name: pkg.name } : {}),
          scripts: Object.fromEntries(
            Object.entries(isObject(pkg.scripts) ? pkg.scripts : {}).filter(
              (e): e is [string, string] => typeof e[1] === "string",
            ),
          ),
          hasLockfile: has("package-lock.json"),
        }
      : undefined
    const entries = yield* Effect.try({
      try: () => readdirSync(root).sort(),
      catch: (e) => invalid(dir, `cannot list it (${(e as Error).message})`),
    })
    return {
      dir: root,
      folder: basename(root),
      ...(appJson === undefined ? {} : { appJson }),
      ...(procfile === undefined ? {} : { procfile }),
      ...(prisma === undefined ? {} : { prisma }),
      ...(packageJson === undefined ? {} : { packageJson }),
      entries,
    }
  })
