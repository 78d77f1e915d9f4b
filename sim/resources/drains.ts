/**
 * Log drains: create (`{ url }`: syslog, syslog+tls or https), list, info and delete by id, URL
 * or token, as `heroku drains:remove URL` sends it. The URL is stored; a drain's token looks like
 * Heroku's `d.<uuid>`. A URL often carries a secret: error messages never repeat it.
 */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import type { AppRecord, DrainRecord } from "../state/model.ts"
import { asObject, reqString } from "./body.ts"
import { findApp } from "./lookup.ts"

const SCHEMES = ["syslog:", "syslog+tls:", "https:", "http:"]

const checkUrl = (raw: string): string => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw invalidParams("Url is invalid: it is not a URL.")
  }
  if (!SCHEMES.includes(url.protocol) || url.hostname === "")
    throw invalidParams("Url must be a syslog://, syslog+tls:// or https:// URL with a host.")
  return raw
}

export const drainRoutes = (ctx: SimContext): Route[] => {
  const render = (d: DrainRecord, app: AppRecord) => ({
    id: d.id,
    url: d.url,
    token: d.token,
    addon: null,
    app: { id: app.id, name: app.name },
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  })
  const find = (app: AppRecord, key: string): DrainRecord => {
    const d = ctx.state.drains.find(
      (x) => x.appId === app.id && (x.id === key || x.url === key || x.token === key),
    )
    if (d === undefined) throw notFound("log_drain", "log drain")
    return d
  }
  return [
    route("POST", "/apps/:app/log-drains", "log-drain#Create", (req) => {
      const app = findApp(ctx, req.params.app!)
      const url = checkUrl(reqString(asObject(req.body), "url"))
      if (ctx.state.drains.some((d) => d.appId === app.id && d.url === url))
        throw invalidParams("Url has already been taken")
      const now = ctx.now()
      const drain: DrainRecord = {
        id: randomUUID(),
        appId: app.id,
        url,
        token: `d.${randomUUID()}`,
        createdAt: now,
        updatedAt: now,
      }
      ctx.state.drains.push(drain)
      return created(render(drain, app))
    }),
    route("GET", "/apps/:app/log-drains", "log-drain#List", (req) => {
      const app = findApp(ctx, req.params.app!)
      return list(ctx.state.drains.filter((d) => d.appId === app.id).map((d) => render(d, app)))
    }),
    route("GET", "/apps/:app/log-drains/:drain", "log-drain#Info", (req) => {
      const app = findApp(ctx, req.params.app!)
      return json(render(find(app, req.params.drain!), app))
    }),
    route("DELETE", "/apps/:app/log-drains/:drain", "log-drain#Delete", (req) => {
      const app = findApp(ctx, req.params.app!)
      const drain = find(app, req.params.drain!)
      ctx.state.drains = ctx.state.drains.filter((d) => d.id !== drain.id)
      return json(render(drain, app))
    }),
  ]
}
