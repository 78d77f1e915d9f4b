/**
 * Real dynos for the simulator: every process type of the formation runs as child processes (the
 * quantity honoured up to `maxPerType`) with `PORT`, the config vars and Heroku's dyno metadata,
 * `web` behind a stable per-app loopback router (dynoFront.ts). A new release restarts every dyno
 * (new web processes are swapped in once they listen); scaling starts or stops the difference. A
 * process that exits on its own makes its dyno `crashed` (the router answers 503 without an up web
 * dyno). As root, dynos run as an unprivileged user. `close()` stops every child.
 */
import type { DynoRelease, DynoRunner, ReleasePhaseResult } from "./dyno.ts"
import { type Front, FrontPool } from "./dynoFront.ts"
import { LogBuffer } from "./dynoLogs.ts"
import { pidFiles, reapOrphans } from "./dynoPids.ts"
import { type DynoProcess, type DynoUser, spawnDyno } from "./dynoProcess.ts"
import { type Dyno, dynoEnv, startDyno } from "./dynoStart.ts"

export interface DynoOptions {
  /** Time between SIGTERM and SIGKILL when stopping a process (default 3000 ms). */
  readonly graceMs?: number
  /** Longest a web process may take to listen on $PORT (default 15 s). */
  readonly bootTimeoutMs?: number
  /** Longest a release phase may run (default 5 min). */
  readonly releaseTimeoutMs?: number
  /** Most processes run per process type, whatever the quantity (default 4). */
  readonly maxPerType?: number
  /** Where pid files go, so a later run stops dynos a killed one left (default: none). */
  readonly pidDir?: string
  /** The OS user dynos run as (default: this process's user). */
  readonly user?: DynoUser | null
  /** A script preloaded into every dyno's Node (see dynoLoopback.ts). */
  readonly preload?: string
  /** Notices, one line each (default: to `onError`). */
  readonly onWarning?: (line: string) => void
  /** Each line the apps print (default: only kept in the app's log). */
  readonly onLog?: (appName: string, line: string) => void
}

interface AppDynos {
  readonly front: Front
  readonly log: LogBuffer
  release: DynoRelease | null
  dynos: Dyno[]
  /** Serializes apply() and restart() calls for one app. */
  queue: Promise<void>
}

/** Starts a runner whose port pool is ready, so `webUrl` can answer at once. */
export const startProcessDynoRunner = async (
  options: DynoOptions,
  onError: (e: unknown) => void,
): Promise<DynoRunner> => {
  const graceMs = options.graceMs ?? 3000
  const maxPerType = options.maxPerType ?? 4
  const user = options.user ?? null
  const pids = pidFiles(options.pidDir)
  const warn = options.onWarning ?? ((line: string) => onError(new Error(line)))
  for (const left of await reapOrphans(options.pidDir))
    warn(`stopped a dyno left running by an earlier simulator: ${left}`)
  const pool = new FrontPool(4, onError)
  await pool.start()
  const apps = new Map<string, AppDynos>()
  const releasing = new Set<DynoProcess>()

  const appDynos = (name: string): AppDynos | null => {
    const existing = apps.get(name)
    if (existing !== undefined) return existing
    const front = pool.take()
    if (front === null) return null
    const log = new LogBuffer()
    front.onLog = (line) => log.push("heroku[router]", line)
    const created: AppDynos = { front, log, release: null, dynos: [], queue: Promise.resolve() }
    apps.set(name, created)
    return created
  }

  const route = (app: AppDynos) => {
    const web = app.dynos.filter((d) => d.type === "web")
    app.front.targets = web.filter((d) => d.state === "up").map((d) => ({ port: d.port, dyno: d.name }))
    app.front.crashed = web.some((d) => d.state === "crashed")
  }

  const start = (app: AppDynos, release: DynoRelease, name: string, type: string) =>
    startDyno({ release, name, type, log: app.log, user, pids, options, graceMs, onCrash: () => route(app) })

  const stop = async (app: AppDynos, dynos: ReadonlyArray<Dyno>) => {
    for (const d of dynos) d.stopping = true
    app.dynos = app.dynos.filter((d) => !dynos.includes(d))
    route(app)
    await Promise.all(dynos.map((d) => d.process.stop(graceMs)))
  }

  /** The dyno names the release's formation asks for, by type. */
  const wanted = (release: DynoRelease): ReadonlyArray<{ name: string; type: string }> =>
    release.slugDir === null
      ? []
      : release.formation.flatMap((f) =>
          f.type === "release" || release.processTypes[f.type] === undefined
            ? []
            : Array.from({ length: Math.min(f.quantity, maxPerType) }, (_, i) => ({
                name: `${f.type}.${i + 1}`,
                type: f.type,
              })),
        )

  /** Starts `want` for `release`, then retires `old`; web is routed to the new ones once they listen. */
  const replace = async (
    app: AppDynos,
    release: DynoRelease,
    want: ReadonlyArray<{ name: string; type: string }>,
    old: ReadonlyArray<Dyno>,
  ) => {
    const fresh = await Promise.all(want.map((w) => start(app, release, w.name, w.type)))
    app.dynos = [...app.dynos.filter((d) => !old.includes(d)), ...fresh]
    route(app)
    await stop(app, old)
  }

  const converge = async (app: AppDynos, release: DynoRelease) => {
    app.release = release
    const want = wanted(release)
    const names = new Set(want.map((w) => w.name))
    const stale = app.dynos.filter((d) => d.version !== release.version || !names.has(d.name))
    const missing = want.filter((w) => !app.dynos.some((d) => d.name === w.name && !stale.includes(d)))
    if (stale.length === 0 && missing.length === 0) return
    await replace(app, release, missing, stale)
  }

  const queued = (app: AppDynos, work: () => Promise<void>): Promise<void> => {
    const next = app.queue.then(work)
    app.queue = next.catch(onError)
    return next
  }

  return {
    apply: (release) => {
      const app = appDynos(release.appName)
      return app === null ? Promise.resolve() : queued(app, () => converge(app, release))
    },
    remove: async (appName) => {
      const app = apps.get(appName)
      if (app === undefined) return
      apps.delete(appName)
      await app.queue
      await stop(app, app.dynos)
      await app.front.close()
    },
    close: async () => {
      await Promise.all([...releasing].map((p) => p.stop(graceMs)))
      await Promise.all(
        [...apps.values()].map(async (app) => {
          await app.queue
          await stop(app, app.dynos)
        }),
      )
      apps.clear()
      await pool.close()
    },
    releasePhase: async (release, command): Promise<ReleasePhaseResult> => {
      if (release.slugDir === null) return { ok: false, output: "no slug to run the release phase in" }
      const proc = spawnDyno(command, release.slugDir, dynoEnv(release, "release.1", options.preload), user)
      const pid = proc.child.pid
      if (pid !== undefined) pids.record(pid, release.appName, "release.1")
      releasing.add(proc)
      const timer = setTimeout(() => void proc.stop(graceMs), options.releaseTimeoutMs ?? 300_000)
      const code = await proc.exited
      clearTimeout(timer)
      releasing.delete(proc)
      if (pid !== undefined) pids.forget(pid)
      await proc.stop(0)
      const log = apps.get(release.appName)?.log
      for (const l of proc.tail().split("\n")) if (l !== "") log?.push("app[release.1]", l)
      return { ok: code === 0, output: `${proc.tail()}\n(release command exited with status ${code})\n` }
    },
    webUrl: (appName) => {
      const app = appDynos(appName)
      return app === null ? null : `http://127.0.0.1:${app.front.port}/`
    },
    list: (appName) =>
      (apps.get(appName)?.dynos ?? []).map((d) => ({
        name: d.name,
        type: d.type,
        command: d.command,
        size: d.size,
        state: d.state,
        version: d.version,
        startedAt: d.startedAt,
      })),
    restart: (appName, target) => {
      const app = apps.get(appName)
      if (app === undefined) return Promise.resolve()
      return queued(app, async () => {
        const release = app.release
        if (release === null) return
        const old = app.dynos.filter((d) => target === undefined || d.name === target || d.type === target)
        await replace(
          app,
          release,
          old.map((d) => ({ name: d.name, type: d.type })),
          old,
        )
      })
    },
    logs: (appName) => apps.get(appName)?.log ?? null,
  }
}
