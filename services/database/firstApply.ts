/**
 * One writer from the first apply. Before the environment's database exists there is nothing to
 * hold an advisory lock on, so a first apply claims a lock file, `.reconcile/locks/<env>.<app>.lock`
 * (created with O_EXCL: exactly one process wins), naming its holder as the database lock does. A
 * file left by a process that died on this host is taken over. Once the database appears (the
 * add-on wave provisions it), the run takes the database's advisory lock too, so an apply that
 * starts after that point, from any machine, meets the usual lock. Limit: before the database
 * exists, the claim only covers applies run from the same machine and working directory.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs"
import { hostname } from "node:os"
import { join, resolve } from "node:path"
import * as Effect from "effect/Effect"
import { LockHeldError, PluginError } from "../../engine/index.ts"

const fileOf = (env: string, dir: string) =>
  join(resolve(dir), `${env.replace(/[^A-Za-z0-9_.-]/g, "_")}.lock`)

interface Claim {
  readonly pid: number
  readonly host: string
  readonly holder: string
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

const read = (file: string): Claim | undefined => {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Claim
  } catch {
    return undefined
  }
}

/** A claim that still stands: its process lives, or it is another host's (which cannot be checked). */
const standing = (c: Claim | undefined): c is Claim =>
  c !== undefined && (c.host !== hostname() || alive(c.pid))

/** The live first-apply claim on `env`, if another process holds one. */
export const otherClaim = (name: string, dir = ".reconcile/locks"): Claim | undefined => {
  const c = read(fileOf(name, dir))
  return standing(c) && !(c.pid === process.pid && c.host === hostname()) ? c : undefined
}

const create = (file: string, claim: Claim): boolean => {
  try {
    const fd = openSync(file, "wx", 0o600)
    try {
      writeSync(fd, JSON.stringify(claim))
    } finally {
      closeSync(fd)
    }
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false
    throw e
  }
}

/** Claims the first apply of `env` for the scope, or fails with LockHeldError naming the holder. */
export const claimFirstApply = (name: string, env: string, holder: string, dir = ".reconcile/locks") => {
  const file = fileOf(name, dir)
  const claim: Claim = { pid: process.pid, host: hostname(), holder }
  return Effect.acquireRelease(
    Effect.try({
      try: () => {
        mkdirSync(resolve(dir), { recursive: true, mode: 0o700 })
        if (create(file, claim)) return undefined
        const held = read(file)
        if (standing(held)) return held
        // left by a process that is gone: take it over (one winner again through O_EXCL)
        rmSync(file, { force: true })
        return create(file, claim)
          ? undefined
          : (read(file) ?? { pid: 0, host: "", holder: "holder unknown" })
      },
      catch: (e) =>
        new PluginError({
          reason: "Invalid",
          detail: `cannot claim the first apply's lock file ${file}: ${(e as Error).message}`,
        }),
    }),
    (held) =>
      held === undefined
        ? Effect.sync(() => {
            // release only our own claim
            const now = read(file)
            if (now?.pid === claim.pid && now.host === claim.host) rmSync(file, { force: true })
          })
        : Effect.void,
  ).pipe(
    Effect.flatMap((held) =>
      held === undefined ? Effect.void : Effect.fail(new LockHeldError({ env, holder: held.holder })),
    ),
  )
}
