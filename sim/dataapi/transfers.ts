/**
 * The Data API's transfers (backups and restores) for the simulator. A backup is a real,
 * restorable custom-format dump of the add-on's database made with `pg_dump` (the client tools must
 * match the server's major version); a restore empties the database and replays one with `pg_restore`. Transfers are
 * kept in `<dataDir>/dataapi/transfers.json` so they survive restarts.
 */
import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs"
import { join } from "node:path"
import pg from "pg"
import type { SimContext } from "../context.ts"
import type { AddonRecord } from "../state/model.ts"

export interface TransferRecord {
  uuid: string
  num: number
  appId: string
  addonId: string
  kind: "backup" | "restore"
  /** Taken by a daily schedule (named `a001`, not `b001`). */
  scheduled?: boolean
  fromName: string
  toName: string
  file: string
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  succeeded: boolean
  processedBytes: number
  sourceBytes: number
  logs: Array<{ created_at: string; message: string }>
}

const caches = new WeakMap<SimContext, TransferRecord[]>()

const folder = (ctx: SimContext) => join(ctx.dataDir, "dataapi")

/** Every transfer of the simulator (loaded once per context). */
export const transfers = (ctx: SimContext): TransferRecord[] => {
  let list = caches.get(ctx)
  if (list === undefined) {
    const file = join(folder(ctx), "transfers.json")
    list = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as TransferRecord[]) : []
    caches.set(ctx, list)
  }
  return list
}

const save = (ctx: SimContext) => {
  mkdirSync(folder(ctx), { recursive: true })
  const file = join(folder(ctx), "transfers.json")
  writeFileSync(`${file}.tmp`, JSON.stringify(transfers(ctx), null, 2), { mode: 0o600 })
  chmodSync(`${file}.tmp`, 0o600)
  renameSync(`${file}.tmp`, file)
}

const run = (bin: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<void>((ok, fail) => {
    execFile(bin, args, { env }, (error, _stdout, stderr) =>
      error === null ? ok() : fail(new Error(`${bin}: ${stderr.trim() || error.message}`)),
    )
  })

const connection = (addon: AddonRecord) => {
  const u = new URL(addon.url)
  const password = decodeURIComponent(u.password)
  u.password = ""
  return { dbname: u.toString(), env: { ...process.env, PGPASSWORD: password, PGSSLMODE: "disable" } }
}

const start = (
  ctx: SimContext,
  addon: AddonRecord,
  kind: TransferRecord["kind"],
  names: { from: string; to: string },
  file: string,
  work: () => Promise<number>,
  scheduled = false,
): TransferRecord => {
  const mine = transfers(ctx).filter((t) => t.appId === addon.appId)
  const now = ctx.now()
  const t: TransferRecord = {
    uuid: randomUUID(),
    num: mine.reduce((n, x) => Math.max(n, x.num), 0) + 1,
    appId: addon.appId,
    addonId: addon.id,
    kind,
    ...(scheduled ? { scheduled } : {}),
    fromName: names.from,
    toName: names.to,
    file,
    createdAt: now,
    startedAt: now,
    finishedAt: null,
    succeeded: false,
    processedBytes: 0,
    sourceBytes: 0,
    logs: [],
  }
  transfers(ctx).push(t)
  save(ctx)
  ctx.tasks.run(async () => {
    try {
      t.processedBytes = await work()
      t.sourceBytes = t.processedBytes
      t.succeeded = true
    } catch (e) {
      t.logs.push({ created_at: ctx.now(), message: (e as Error).message })
    }
    t.finishedAt = ctx.now()
    save(ctx)
  })
  return t
}

/** Starts a backup of the add-on's database. */
export const startBackup = (
  ctx: SimContext,
  addon: AddonRecord,
  attachment: string,
  options: { readonly scheduled?: boolean } = {},
): TransferRecord => {
  mkdirSync(join(folder(ctx), "backups"), { recursive: true })
  const file = join(folder(ctx), "backups", `${randomUUID()}.dump`)
  const { dbname, env } = connection(addon)
  return start(
    ctx,
    addon,
    "backup",
    { from: attachment, to: "BACKUP" },
    file,
    async () => {
      // a dump holds all the data: created owner-only, and pg_dump keeps an existing file's mode
      closeSync(openSync(file, "w", 0o600))
      await run("pg_dump", ["--format=custom", "--no-owner", "--file", file, "--dbname", dbname], env)
      return statSync(file).size
    },
    options.scheduled === true,
  )
}

/** Empties the database as Heroku's restore does: every schema the owner has, then a fresh `public`. */
const reset = async (addon: AddonRecord) => {
  const client = new pg.Client({ connectionString: addon.url })
  await client.connect()
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT nspname AS n FROM pg_namespace WHERE nspname = 'public'
         OR (nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user) AND nspname NOT LIKE 'pg!_%' ESCAPE '!')`,
    )
    for (const { n } of rows) await client.query(`DROP SCHEMA "${n.replace(/"/g, '""')}" CASCADE`)
    await client.query("CREATE SCHEMA public")
  } finally {
    await client.end()
  }
}

/** Starts restoring a backup into the add-on's database (its current contents are replaced). */
export const startRestore = (ctx: SimContext, addon: AddonRecord, backup: TransferRecord): TransferRecord => {
  const { dbname, env } = connection(addon)
  return start(ctx, addon, "restore", { from: "BACKUP", to: "DATABASE" }, backup.file, async () => {
    await reset(addon)
    await run("pg_restore", ["--no-owner", "--single-transaction", "--dbname", dbname, backup.file], env)
    return statSync(backup.file).size
  })
}

/** The transfer as the Data API renders it. */
export const renderTransfer = (ctx: SimContext, t: TransferRecord, verbose = false) => ({
  uuid: t.uuid,
  num: t.num,
  name: `${t.kind === "restore" ? "r" : t.scheduled === true ? "a" : "b"}${String(t.num).padStart(3, "0")}`,
  from_name: t.fromName,
  from_type: t.kind === "backup" ? "pg_dump" : "gof3r",
  from_url: null,
  to_name: t.toName,
  to_type: t.kind === "backup" ? "gof3r" : "pg_restore",
  to_url: `${ctx.baseUrl()}/client/v11/transfers/${t.uuid}/dump`,
  created_at: t.createdAt,
  started_at: t.startedAt,
  finished_at: t.finishedAt,
  updated_at: t.finishedAt ?? t.startedAt,
  canceled_at: null,
  deleted_at: null,
  succeeded: t.succeeded,
  processed_bytes: t.processedBytes,
  source_bytes: t.sourceBytes,
  warnings: 0,
  options: {},
  ...(verbose ? { logs: t.logs } : {}),
})
