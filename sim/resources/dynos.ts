/**
 * Dynos: list, info and restart (one dyno, one process type, or all), answered from the dyno
 * runner's live processes; and log sessions, whose `logplex_url` streams the app's log (process
 * output, router lines, dyno state changes), live with `tail`, as `heroku logs --tail` reads it.
 */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import type { DynoInfo } from "../dyno.ts"
import { notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { stableId } from "../state/catalog.ts"
import type { AppRecord } from "../state/model.ts"
import { asObject } from "./body.ts"
import { appReleases, findApp } from "./lookup.ts"

const renderDyno = (ctx: SimContext, app: AppRecord, d: DynoInfo) => {
  const release = appReleases(ctx, app).find((r) => r.version === d.version)
  return {
    id: stableId("dyno", `${app.id}:${d.name}:${d.startedAt}`),
    name: d.name,
    type: d.type,
    command: d.command,
    size: d.size,
    state: d.state,
    attach_url: null,
    app: { id: app.id, name: app.name },
    release: { id: release?.id ?? stableId("release", `${app.id}:${d.version}`), version: d.version },
    created_at: d.startedAt,
    updated_at: d.startedAt,
  }
}

const dynosOf = (ctx: SimContext, app: AppRecord) => ctx.dynoRunner.list?.(app.name) ?? []

const findDyno = (ctx: SimContext, app: AppRecord, key: string) => {
  const d = dynosOf(ctx, app).find((x) => x.name === key || renderDyno(ctx, app, x).id === key)
  if (d === undefined) throw notFound("dyno", `dyno ${key}`)
  return d
}

const restart = (ctx: SimContext, app: AppRecord, target?: string) => {
  const run = ctx.dynoRunner.restart
  if (run !== undefined) ctx.tasks.run(() => run(app.name, target))
  return json({})
}

const int = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v > 0
    ? v
    : typeof v === "string" && /^\d+$/.test(v)
      ? Number(v)
      : undefined

export const dynoRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/apps/:app/dynos", "dyno#List", (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(dynosOf(ctx, app).map((d) => renderDyno(ctx, app, d)))
  }),
  route("GET", "/apps/:app/dynos/:dyno", "dyno#Info", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(renderDyno(ctx, app, findDyno(ctx, app, req.params.dyno!)))
  }),
  route("DELETE", "/apps/:app/dynos/:dyno", "dyno#Restart", (req) => {
    const app = findApp(ctx, req.params.app!)
    const key = req.params.dyno!
    // a process type restarts every dyno of that type, as `heroku ps:restart web` does
    const target = dynosOf(ctx, app).some((d) => d.type === key) ? key : findDyno(ctx, app, key).name
    return restart(ctx, app, target)
  }),
  route("DELETE", "/apps/:app/formations/:type", "dyno#Restart formation", (req) =>
    restart(ctx, findApp(ctx, req.params.app!), req.params.type!),
  ),
  route("DELETE", "/apps/:app/dynos", "dyno#Restart all", (req) =>
    restart(ctx, findApp(ctx, req.params.app!)),
  ),
  route("POST", "/apps/:app/log-sessions", "log-session#Create", (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = req.body === undefined || req.body === null ? {} : asObject(req.body)
    const id = randomUUID()
    const now = ctx.now()
    const lines = int(body.lines)
    ctx.logSessions.set(id, {
      appName: app.name,
      lines: Math.min(lines ?? 100, 1500),
      tail: body.tail === true || body.tail === "true",
      dyno: typeof body.dyno === "string" && body.dyno !== "" ? body.dyno : null,
      source: typeof body.source === "string" && body.source !== "" ? body.source : null,
      expires: Date.now() + 5 * 60_000,
    })
    return created({
      id,
      logplex_url: `${ctx.baseUrl()}/streams/logs/${id}`,
      created_at: now,
      updated_at: now,
    })
  }),
]
