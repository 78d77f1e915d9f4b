/**
 * Real dynos for the simulator: the current release's `web` process runs as a child process with
 * `PORT`, the config vars and Heroku's dyno metadata (`HEROKU_APP_NAME`, `HEROKU_RELEASE_VERSION`),
 * behind a stable per-app port (dynoFront.ts). A new release starts a new process and swaps it in
 * once it listens; scaling web to 0 stops it. `release:` commands run to completion on demand.
 * `close()` stops every child (SIGTERM, then SIGKILL after the grace period).
 */
import type { DynoRelease, DynoRunner, ReleasePhaseResult } from "./dyno.ts"
import { type Front, FrontPool, freePort } from "./dynoFront.ts"
import { type DynoProcess, spawnDyno, waitListening } from "./dynoProcess.ts"

export interface DynoOptions {
  /** Time between SIGTERM and SIGKILL when stopping a process (default 3000 ms). */
  readonly graceMs?: number
  /** Longest a web process may take to listen on $PORT (default 15 s). */
  readonly bootTimeoutMs?: number
  /** Longest a release phase may run (default 5 min). */
  readonly releaseTimeoutMs?: number
  /** Each line the apps print (default: dropped; the last lines are kept for failures). */
  readonly onLog?: (appName: string, line: string) => void
}

interface AppDynos {
  readonly front: Front
  web: { readonly process: DynoProcess; readonly version: number } | null
  /** Serializes apply() calls for one app. */
  queue: Promise<void>
}

const dynoEnv = (release: DynoRelease, dyno: string): Record<string, string> => ({
  ...release.config,
  DYNO: dyno,
  HEROKU_APP_NAME: release.appName,
  HEROKU_RELEASE_VERSION: `v${release.version}`,
})

/** Starts a runner whose port pool is ready, so `webUrl` can answer at once. */
export const startProcessDynoRunner = async (
  options: DynoOptions,
  onError: (e: unknown) => void,
): Promise<DynoRunner> => {
  const graceMs = options.graceMs ?? 3000
  const pool = new FrontPool(4, onError)
  await pool.start()
  const apps = new Map<string, AppDynos>()
  const releasing = new Set<DynoProcess>()

  const appDynos = (name: string): AppDynos | null => {
    const existing = apps.get(name)
    if (existing !== undefined) return existing
    const front = pool.take()
    if (front === null) return null
    const created: AppDynos = { front, web: null, queue: Promise.resolve() }
    apps.set(name, created)
    return created
  }

  const stopWeb = async (dynos: AppDynos) => {
    const web = dynos.web
    dynos.front.target = null
    dynos.web = null
    await web?.process.stop(graceMs)
  }

  const startWeb = async (dynos: AppDynos, release: DynoRelease, command: string, slugDir: string) => {
    const port = await freePort()
    const proc = spawnDyno(command, slugDir, { ...dynoEnv(release, "web.1"), PORT: String(port) })
    if (options.onLog !== undefined) {
      const log = options.onLog
      proc.child.stdout?.on("data", (b: Buffer) => log(release.appName, b.toString("utf8").trimEnd()))
      proc.child.stderr?.on("data", (b: Buffer) => log(release.appName, b.toString("utf8").trimEnd()))
    }
    if (!(await waitListening(port, proc, options.bootTimeoutMs ?? 15_000))) {
      await proc.stop(graceMs)
      throw new Error(
        `${release.appName} v${release.version}: web process did not listen on $PORT\n${proc.tail()}`,
      )
    }
    const old = dynos.web
    dynos.web = { process: proc, version: release.version }
    dynos.front.target = port
    await old?.process.stop(graceMs)
  }

  const converge = async (release: DynoRelease) => {
    const dynos = appDynos(release.appName)
    if (dynos === null) return
    const command = release.processTypes.web
    const quantity = release.formation.find((f) => f.type === "web")?.quantity ?? 0
    if (command === undefined || release.slugDir === null || quantity === 0) return stopWeb(dynos)
    if (
      dynos.web !== null &&
      dynos.web.version === release.version &&
      dynos.web.process.child.exitCode === null
    )
      return
    await startWeb(dynos, release, command, release.slugDir)
  }

  return {
    apply: (release) => {
      const dynos = appDynos(release.appName)
      if (dynos === null) return Promise.resolve()
      const next = dynos.queue.then(() => converge(release))
      dynos.queue = next.catch(() => {})
      return next
    },
    remove: async (appName) => {
      const dynos = apps.get(appName)
      if (dynos === undefined) return
      apps.delete(appName)
      await dynos.queue
      await stopWeb(dynos)
      await dynos.front.close()
    },
    close: async () => {
      await Promise.all([...releasing].map((p) => p.stop(graceMs)))
      await Promise.all(
        [...apps.values()].map(async (d) => {
          await d.queue
          await stopWeb(d)
        }),
      )
      apps.clear()
      await pool.close()
    },
    releasePhase: async (release, command): Promise<ReleasePhaseResult> => {
      if (release.slugDir === null) return { ok: false, output: "no slug to run the release phase in" }
      const proc = spawnDyno(command, release.slugDir, dynoEnv(release, "release.1"))
      releasing.add(proc)
      const timer = setTimeout(() => void proc.stop(graceMs), options.releaseTimeoutMs ?? 300_000)
      const code = await proc.exited
      clearTimeout(timer)
      releasing.delete(proc)
      await proc.stop(0)
      return { ok: code === 0, output: `${proc.tail()}\n(release command exited with status ${code})\n` }
    },
    webUrl: (appName) => {
      const dynos = appDynos(appName)
      return dynos === null ? null : `http://127.0.0.1:${dynos.front.port}/`
    },
  }
}
