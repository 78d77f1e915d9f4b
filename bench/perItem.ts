/**
 * The per-item baseline: what a deploy script of one shell step per item does, written with plain
 * `fetch` (one request at a time) and one `pg` connection per database check (one `psql` each).
 * `readAll` reads the same facts a dry-run reads; `setEach` is one `heroku config:set` per var;
 * `firstDeploy` is the whole first deploy, step by step, doing the same work reconcile's first deploy
 * does: the app, its add-ons (waiting for provisioning), the config vars, a backup before migrating
 * (`heroku pg:backups:capture`, waited for), the migrations and reference data, the build (waited
 * for) and the formation. Waits poll every 100 ms, as a tight shell loop would.
 */
import { createHash } from "node:crypto"
import pg from "pg"
import { collectFiles, tarGz } from "../services/artifact/tarball.ts"
import { configVars, type Fixture, migrationsDir, processTypes } from "./fixture.ts"
import { token } from "./sim.ts"

const attachments = ["DATABASE", "REDIS", "PAPERTRAIL", "SCHEDULER"]
const plans = [
  "heroku-postgresql:essential-0",
  "heroku-redis:mini",
  "papertrail:choklad",
  "scheduler:standard",
]

/** One API request, like one `heroku` command. */
export const call = async (base: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      Accept: "application/vnd.heroku+json; version=3",
      Authorization: `Bearer ${token}`,
      "Content-Type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  return { status: res.status, body: text === "" ? null : (JSON.parse(text) as unknown) }
}

const psql = async (url: string, text: string, values: Array<string> = []) => {
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  try {
    return (await c.query(text, values)).rows
  } finally {
    await c.end()
  }
}

const migrationNames = async () => {
  const { readdirSync } = await import("node:fs")
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
}

/** Reads every fact one request (or one psql) at a time, as per-item shell steps do. */
export const readAll = async (base: string, app: string) => {
  await call(base, "GET", `/apps/${app}`)
  await call(base, "GET", `/apps/${app}/buildpack-installations`)
  for (const a of attachments) await call(base, "GET", `/apps/${app}/addon-attachments/${a}`)
  let dbUrl: string | undefined
  for (const k of [...Object.keys(configVars()), "DATABASE_URL", "REDIS_URL"]) {
    const vars = (await call(base, "GET", `/apps/${app}/config-vars`)).body as Record<string, string>
    if (k === "DATABASE_URL") dbUrl = vars[k]
  }
  for (const t of processTypes) await call(base, "GET", `/apps/${app}/formation/${t}`)
  await call(base, "GET", `/apps/${app}/releases`)
  await call(base, "GET", `/apps/${app}/builds`)
  if (dbUrl === undefined) return
  for (const name of await migrationNames())
    await psql(dbUrl, "SELECT checksum FROM _prisma_migrations WHERE migration_name = $1", [name])
  for (const t of ["t01", "t02"])
    await psql(dbUrl, `SELECT md5(string_agg(id || ',' || name, E'\\n' ORDER BY id)) FROM ${t}`)
}

/** `heroku config:set K=V` per var: one PATCH, hence one release, each. */
export const setEach = async (base: string, app: string, vars: Readonly<Record<string, string>>) => {
  for (const [k, v] of Object.entries(vars)) await call(base, "PATCH", `/apps/${app}/config-vars`, { [k]: v })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 600 && !(await check()); i++) await sleep(100)
}

/** The whole first deploy, one item per step (migrations and reference data through psql). */
export const firstDeploy = async (base: string, app: string, f: Fixture) => {
  await call(base, "POST", "/apps", { name: app, region: "us", stack: "heroku-24" })
  await call(base, "PUT", `/apps/${app}/buildpack-installations`, {
    updates: [{ buildpack: "heroku/nodejs" }],
  })
  for (const [i, plan] of plans.entries())
    await call(base, "POST", `/apps/${app}/addons`, { plan, attachment: { name: attachments[i] } })
  let addons: Array<{ id: string; state: string; addon_service: { name: string } }> = []
  await until(async () => {
    addons = (await call(base, "GET", `/apps/${app}/addons`)).body as typeof addons
    return addons.every((x) => x.state === "provisioned")
  })
  await setEach(base, app, configVars())
  // `heroku pg:backups:capture`: reconcile never migrates without a backup, nor does this script
  const database = addons.find((a) => a.addon_service.name === "heroku-postgresql")!
  const capture = (await call(base, "POST", `/client/v11/databases/${database.id}/backups`, {})).body as {
    uuid: string
  }
  await until(
    async () =>
      (
        (await call(base, "GET", `/client/v11/apps/${app}/transfers/${capture.uuid}`)).body as {
          finished_at: string | null
        }
      ).finished_at !== null,
  )
  const vars = (await call(base, "GET", `/apps/${app}/config-vars`)).body as Record<string, string>
  const dbUrl = vars.DATABASE_URL!
  const { readFileSync, readdirSync } = await import("node:fs")
  await psql(
    dbUrl,
    `CREATE TABLE IF NOT EXISTS _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
     finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
     started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`,
  )
  for (const name of await migrationNames()) {
    const sql = readFileSync(`${migrationsDir}/${name}/migration.sql`, "utf8")
    const sum = createHash("sha256").update(sql).digest("hex")
    const ledger = `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES (gen_random_uuid(), '${sum}', '${name}', now(), 1)`
    if (/CONCURRENTLY/i.test(sql)) {
      await psql(dbUrl, sql)
      await psql(dbUrl, ledger)
    } else await psql(dbUrl, `BEGIN; ${sql}; ${ledger}; COMMIT;`)
  }
  for (const file of readdirSync(f.referenceData).filter((n) => n.endsWith(".csv"))) {
    const table = file.replace(".csv", "")
    const rows = readFileSync(`${f.referenceData}/${file}`, "utf8").trim().split("\n").slice(1)
    const values = rows.map((r) => {
      const [id, name] = r.split(",")
      return `(${id}, '${name}')`
    })
    await psql(
      dbUrl,
      `INSERT INTO ${table} (id, name) VALUES ${values.join(",")} ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`,
    )
  }
  const tarball = tarGz(collectFiles(f.source, ["Procfile", "package.json", "server.js", "web"]))
  const source = (await call(base, "POST", "/sources")).body as {
    source_blob: { get_url: string; put_url: string }
  }
  await fetch(source.source_blob.put_url, { method: "PUT", body: tarball })
  const checksum = `SHA256:${createHash("sha256").update(tarball).digest("hex")}`
  const build = (
    await call(base, "POST", `/apps/${app}/builds`, {
      source_blob: { url: source.source_blob.get_url, checksum },
    })
  ).body as { id: string }
  await until(
    async () =>
      ((await call(base, "GET", `/apps/${app}/builds/${build.id}`)).body as { status: string }).status !==
      "pending",
  )
  for (const t of processTypes)
    await call(base, "PATCH", `/apps/${app}/formation/${t}`, { quantity: 1, size: "basic" })
}
