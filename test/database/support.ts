/**
 * Helpers for the database end-to-end tests: throwaway databases on the test run's Postgres,
 * manifest folders written on the fly, and the services layer the database plugins need.
 */
import { randomBytes } from "node:crypto"
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import pg from "pg"
import { afterAll } from "vitest"
import { PluginError } from "../../engine/errors.ts"
import { secretEnvFromRecord } from "../../engine/manifest/index.ts"
import { RunState } from "../../engine/plugin/RunState.ts"
import { backupPlugin } from "../../plugins/backup/plugin.ts"
import { migrationsPlugin } from "../../plugins/migrations/plugin.ts"
import { referenceDataPlugin } from "../../plugins/reference-data/plugin.ts"
import { type Database, layer as databaseLayer } from "../../services/database/Database.ts"
import { dataApiLayer, type HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { HerokuApi, unavailable } from "../../services/heroku/HerokuApi.ts"
import type { Simulator } from "../../sim/index.ts"
import { perTestFile } from "../support/fileState.ts"
import { herokuLayer, simToken } from "../support/heroku.ts"
import { postgresAdminUrl } from "../support/postgres.ts"

export const databasePlugins = [backupPlugin, migrationsPlugin, referenceDataPlugin] as const

/** A URL for database `name` on the test server. */
export const urlOf = (name: string): string => {
  const u = new URL(postgresAdminUrl())
  u.pathname = `/${name}`
  return u.toString()
}

/** A new empty database; returns its name and URL. */
export const createDatabase = async (prefix = "db"): Promise<{ name: string; url: string }> => {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`
  await sql(postgresAdminUrl(), `CREATE DATABASE "${name}"`)
  return { name, url: urlOf(name) }
}

export const dropDatabase = (name: string) =>
  sql(postgresAdminUrl(), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)

/** For one test file: `create(prefix)` makes a new empty database, dropped when the file's tests end. */
export const scratchDatabases = () => {
  const made: Array<string> = []
  afterAll(async () => {
    for (const name of made) await dropDatabase(name)
  })
  return async (prefix?: string) => {
    const db = await createDatabase(prefix)
    made.push(db.name)
    return db
  }
}

/** Runs one query on a URL and returns its rows. */
export const sql = async <T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values?: Array<unknown>,
): Promise<Array<T>> => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query<T>(text, values)).rows
  } finally {
    await c.end()
  }
}

let repo: string | undefined
perTestFile(() => {
  repo = undefined
})

/**
 * This test module's repository folder: `manifests/` and every fixture folder (`scratchDir`) live
 * inside it, since the paths a manifest names must stay inside the manifests folder's parent.
 */
export const testRepo = (): string => {
  repo ??= mkdtempSync(join(tmpdir(), "reconcile-db-"))
  return repo
}

/** A new folder inside the test repository. */
export const scratchDir = (prefix: string): string => mkdtempSync(join(testRepo(), prefix))

/** The test repository, its `manifests/` holding the given environment files (others are kept). */
export const manifestDir = (files: Record<string, string>): string => {
  const root = testRepo()
  mkdirSync(join(root, "manifests"), { recursive: true })
  for (const [env, body] of Object.entries(files)) writeFileSync(join(root, "manifests", `${env}.yaml`), body)
  return root
}

/** A Release manifest with the given `spec` YAML body (indented by the caller at 2 spaces). */
export const release = (name: string, spec: string) =>
  `apiVersion: reconcile/v1\nkind: Release\nmetadata:\n  name: ${name}\nspec:\n${spec}`

/** The services: the simulator (or an API that refuses every call), the Data API, the secrets. */
export const servicesLayer = (
  secrets: Record<string, string>,
  sim?: Simulator,
): Layer.Layer<
  HerokuApi | HerokuDataApi | Database | import("../../engine/manifest/index.ts").SecretEnv | RunState
> =>
  Layer.mergeAll(
    sim === undefined
      ? Layer.succeed(
          HerokuApi,
          unavailable(new PluginError({ reason: "Unauthorized", detail: "no Heroku API in this test" })),
        )
      : herokuLayer(sim),
    dataApiLayer({ baseUrl: sim?.url ?? "http://127.0.0.1:9", token: simToken }).pipe(
      Layer.provide(NodeHttpClient.layer),
    ),
    databaseLayer,
    secretEnvFromRecord(secrets),
    RunState.layer,
  )
