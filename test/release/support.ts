/**
 * Shared setup for the release tests: a copy of the sample app in a temp folder, a manifest folder
 * made from test/fixtures/release, a stand-in `app` section (the app plugin is tested elsewhere), and
 * an app created through the simulator's API with a real Postgres add-on holding the schema and
 * reference data.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import pg from "pg"
import { section } from "../../engine/manifest/index.ts"
import { definePlugin, done } from "../../engine/plugin/Plugin.ts"
import type { Simulator } from "../../sim/index.ts"
import { simToken } from "../support/heroku.ts"
import { herokuClient, waitFor } from "../support/simClient.ts"

const repo = resolve(import.meta.dirname, "../..")

/** Declares `spec.app` so fixture manifests validate without the app plugin. */
export const appStub = definePlugin<{ readonly name: string }, null, never, never>({
  name: "app-stub",
  section: section("app", Schema.Struct({ name: Schema.String })),
  wave: "app",
  observe: () => Effect.succeed(null),
  diff: () => [],
  apply: () => Effect.succeed(done()),
})

/** Copies the sample app (without its build output) into `root` and writes the manifest folder. */
export const prepareWorkspace = (root: string, app: string): { readonly manifests: string } => {
  cpSync(join(repo, "app"), join(root, "app"), {
    recursive: true,
    filter: (src) => !src.includes(join("app", "web", "dist")) && !src.includes(join("app", "node_modules")),
  })
  const manifests = join(root, "manifests")
  mkdirSync(manifests)
  const template = readFileSync(join(repo, "test/fixtures/release/test.yaml"), "utf8")
  writeFileSync(
    join(manifests, "test.yaml"),
    template
      .replaceAll("__APP__", app)
      .replaceAll("__ROOT__", root)
      .replaceAll("__VITE__", join(repo, "node_modules/vite/bin/vite.js")),
  )
  return { manifests }
}

type Obj = Record<string, unknown>

/** Creates the app with a Postgres add-on, migrates it and loads the reference data. */
export const createApp = async (sim: Simulator, app: string): Promise<void> => {
  const api = herokuClient(sim.url, simToken)
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await api.call(method, path, body === undefined ? {} : { body })
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
    return res.body as Obj
  }
  await ok("POST", "/apps", { name: app })
  // as a manifest's `features: { runtime-dyno-metadata: true }` does: the app's /health reports
  // HEROKU_RELEASE_VERSION, which dynos get only with that feature on (as on Heroku)
  await ok("PATCH", `/apps/${app}/features/runtime-dyno-metadata`, { enabled: true })
  const addon = await ok("POST", `/apps/${app}/addons`, { plan: "heroku-postgresql:essential-0" })
  await waitFor(async () =>
    (await ok("GET", `/apps/${app}/addons/${addon.id}`)).state === "provisioned" ? true : undefined,
  )
  const config = await ok("GET", `/apps/${app}/config-vars`)
  const client = new pg.Client({ connectionString: String(config.DATABASE_URL) })
  await client.connect()
  try {
    await client.query(
      readFileSync(join(repo, "prisma/migrations/20261101090000_init/migration.sql"), "utf8"),
    )
    for (const table of ["service_categories", "services"]) {
      const rows = JSON.parse(
        readFileSync(join(repo, "app/reference-data", `${table}.json`), "utf8"),
      ) as Obj[]
      for (const row of rows) {
        const keys = Object.keys(row)
        await client.query(
          `insert into ${table} (${keys.join(", ")}) values (${keys.map((_, i) => `$${i + 1}`).join(", ")})`,
          keys.map((k) => row[k]),
        )
      }
    }
  } finally {
    await client.end()
  }
}

/** GETs the app's /health as JSON. */
export const health = async (url: string): Promise<{ status: number; body: Obj }> => {
  const res = await fetch(new URL("/health", url))
  return { status: res.status, body: (await res.json()) as Obj }
}

export const repoRoot = repo
