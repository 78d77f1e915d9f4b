/**
 * `provider: pg_dump`: a custom-format dump under `.reconcile/backups/<env>/`, verified with
 * `pg_restore --list`. The password goes to the child through PGPASSWORD, never on its command line.
 */
import { execFile } from "node:child_process"
import { closeSync, mkdirSync, statSync } from "node:fs"
import { join, resolve } from "node:path"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { done, openPrivate, PluginError, type RunContext } from "../../engine/index.ts"
import { dbTimeoutsOf, scrub, whereOf } from "../../services/database/connect.ts"

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

export const exec = (bin: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv) =>
  Effect.async<Ran, PluginError>((resume) => {
    const child = execFile(bin, [...args], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const err = error as (NodeJS.ErrnoException & { code?: string | number }) | null
      if (err !== null && err.code === "ENOENT") {
        resume(
          Effect.fail(
            new PluginError({
              reason: "Invalid",
              detail: `${bin} was not found on PATH: install the PostgreSQL client tools (same or newer major as the server) or use backup.provider: heroku`,
            }),
          ),
        )
        return
      }
      resume(
        Effect.succeed({
          code: typeof err?.code === "number" ? err.code : err === null ? 0 : 1,
          stdout,
          stderr,
        }),
      )
    })
    return Effect.sync(() => child.kill())
  })

/** The URL without its password, and the environment that carries the password and TLS mode. */
export const connection = (url: Redacted.Redacted<string>) => {
  const u = new URL(Redacted.value(url))
  const password = decodeURIComponent(u.password)
  u.password = ""
  const local = u.hostname === "localhost" || /^127\./.test(u.hostname) || u.hostname === "::1"
  return {
    dbname: u.toString(),
    env: { ...process.env, PGPASSWORD: password, PGSSLMODE: local ? "disable" : "require" },
  }
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")

/** Dumps the database and verifies the dump; the outputs carry the file and the restore command. */
export const pgDumpBackup = (url: Redacted.Redacted<string>, ctx: RunContext, dir = ".reconcile/backups") =>
  Effect.gen(function* () {
    const folder = resolve(dir, ctx.env)
    const file = join(folder, `${ctx.env}-${stamp(new Date(yield* Clock.currentTimeMillis))}.dump`)
    // a dump holds all the data: owner-only folder and file (pg_dump keeps an existing file's mode)
    yield* Effect.try({
      try: () => {
        mkdirSync(folder, { recursive: true, mode: 0o700 })
        closeSync(openPrivate(file))
      },
      catch: (e) =>
        new PluginError({
          reason: "Invalid",
          detail: `cannot create the dump ${file}: ${(e as Error).message}`,
        }),
    })
    const { dbname, env } = connection(url)
    const dump = yield* exec(
      "pg_dump",
      [
        "--format=custom",
        "--no-owner",
        // pg_dump turns statement and lock timeouts off for itself; a locked table must not block it forever
        `--lock-wait-timeout=${Math.max(1, Math.round(Duration.toMillis(dbTimeoutsOf(ctx.spec).lockTimeout)))}`,
        "--file",
        file,
        "--dbname",
        dbname,
      ],
      env,
    )
    if (dump.code !== 0) {
      return yield* Effect.fail(
        new PluginError({
          reason: "Invalid",
          detail: `pg_dump of ${whereOf(url)} failed: ${scrub(url, dump.stderr.trim()) || `exit ${dump.code}`}`,
        }),
      )
    }
    const list = yield* exec("pg_restore", ["--list", file], env)
    const entries = list.stdout.split("\n").filter((l) => /^\d+;/.test(l)).length
    if (list.code !== 0 || statSync(file).size === 0) {
      return yield* Effect.fail(
        new PluginError({
          reason: "Invalid",
          detail: `the dump ${file} could not be verified: ${list.stderr.trim()}`,
        }),
      )
    }
    return done(`dumped ${whereOf(url)} to ${file} (${statSync(file).size} bytes, ${entries} entries)`, {
      backup: file,
      restore: `pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" ${file}`,
    })
  })
