/**
 * Custom domains: create, list (the app's `herokuapp.com` domain first, kind `heroku`), info, update
 * (its SNI endpoint) and delete, by id or hostname. Each custom domain gets a random
 * `*.herokudns.com` DNS target; its status, and with ACM on its certificate, settle after the ACM
 * delay (acm.ts).
 */
import { randomBytes, randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { stableId } from "../state/catalog.ts"
import type { AppRecord, DomainRecord } from "../state/model.ts"
import { scheduleDomainCheck } from "./acm.ts"
import { asObject, reqString } from "./body.ts"
import { findApp, identity } from "./lookup.ts"

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/
const words = ["aqueous", "dry", "fathomless", "polar", "quiet", "sturdy", "swift", "amber"]
const nouns = ["pigeon", "cherry", "harbor", "meadow", "otter", "canyon", "maple", "comet"]

const checkHostname = (raw: string): string => {
  const hostname = raw.trim().toLowerCase().replace(/\.$/, "")
  const labels = hostname.split(".")
  const ok =
    hostname.length <= 253 &&
    labels.length >= 2 &&
    labels.every((l, i) => LABEL.test(l) || (i === 0 && l === "*")) &&
    !/\.(herokuapp|herokudns)\.com$/.test(hostname)
  if (!ok) throw invalidParams(`${raw} is not a valid hostname for a custom domain.`)
  return hostname
}

const dnsTarget = (): string => {
  const b = randomBytes(10)
  return `${words[b[0]! % words.length]}-${nouns[b[1]! % nouns.length]}-${b.subarray(2).toString("hex")}.herokudns.com`
}

/** The app's built-in domain, as Heroku lists it. */
const herokuDomain = (app: AppRecord) => ({
  id: stableId("domain", app.id),
  hostname: `${app.name}-${app.id.slice(0, 12)}.herokuapp.com`,
  kind: "heroku",
  cname: null,
  status: "succeeded",
  acm_status: null,
  acm_status_reason: null,
  sni_endpoint: null,
  app: { id: app.id, name: app.name },
  created_at: app.createdAt,
  updated_at: app.createdAt,
})

export const domainRoutes = (ctx: SimContext): Route[] => {
  const endpointRef = (id: string | null) => {
    const e = id === null ? undefined : ctx.state.sniEndpoints.find((x) => x.id === id)
    return e === undefined ? null : { id: e.id, name: e.name }
  }
  const render = (d: DomainRecord, app: AppRecord) => ({
    id: d.id,
    hostname: d.hostname,
    kind: "custom",
    cname: d.cname,
    status: d.status,
    acm_status: d.acmStatus,
    acm_status_reason: d.acmStatusReason,
    sni_endpoint: endpointRef(d.sniEndpointId),
    app: { id: app.id, name: app.name },
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  })
  const find = (app: AppRecord, key: string): DomainRecord => {
    const d = ctx.state.domains.find(
      (x) => x.appId === app.id && (x.id === key || x.hostname === key.toLowerCase()),
    )
    if (d === undefined) {
      if (key === herokuDomain(app).id || key === herokuDomain(app).hostname)
        throw invalidParams("The app's herokuapp.com domain cannot be changed or removed.")
      throw notFound("domain", "domain")
    }
    return d
  }
  const endpointOf = (app: AppRecord, value: unknown): string | null => {
    const key = identity(value)
    if (key === undefined) return null
    const e = ctx.state.sniEndpoints.find((x) => x.appId === app.id && (x.id === key || x.name === key))
    if (e === undefined) throw invalidParams(`Couldn't find SNI endpoint ${key} on ${app.name}.`)
    return e.id
  }
  return [
    route("POST", "/apps/:app/domains", "domain#Create", (req) => {
      const app = findApp(ctx, req.params.app!)
      const body = asObject(req.body)
      const hostname = checkHostname(reqString(body, "hostname"))
      const taken = ctx.state.domains.find((d) => d.hostname === hostname)
      if (taken !== undefined)
        throw invalidParams(
          taken.appId === app.id
            ? `${hostname} is already added to this app.`
            : `${hostname} is already in use by another app.`,
        )
      const now = ctx.now()
      const domain: DomainRecord = {
        id: randomUUID(),
        appId: app.id,
        hostname,
        cname: dnsTarget(),
        status: "pending",
        acmStatus: app.acm ? "pending" : null,
        acmStatusReason: null,
        sniEndpointId: endpointOf(app, body.sni_endpoint),
        createdAt: now,
        updatedAt: now,
      }
      ctx.state.domains.push(domain)
      scheduleDomainCheck(ctx, domain.id)
      return created(render(domain, app))
    }),
    route("GET", "/apps/:app/domains", "domain#List", (req) => {
      const app = findApp(ctx, req.params.app!)
      const custom = ctx.state.domains.filter((d) => d.appId === app.id).map((d) => render(d, app))
      return list([herokuDomain(app), ...custom], ["id", "hostname"])
    }),
    route("GET", "/apps/:app/domains/:domain", "domain#Info", (req) => {
      const app = findApp(ctx, req.params.app!)
      const key = req.params.domain!
      const builtIn = herokuDomain(app)
      if (key === builtIn.id || key === builtIn.hostname) return json(builtIn)
      return json(render(find(app, key), app))
    }),
    route("PATCH", "/apps/:app/domains/:domain", "domain#Update", (req) => {
      const app = findApp(ctx, req.params.app!)
      const domain = find(app, req.params.domain!)
      domain.sniEndpointId = endpointOf(app, asObject(req.body).sni_endpoint)
      domain.updatedAt = ctx.now()
      return json(render(domain, app))
    }),
    route("DELETE", "/apps/:app/domains/:domain", "domain#Delete", (req) => {
      const app = findApp(ctx, req.params.app!)
      const domain = find(app, req.params.domain!)
      ctx.state.domains = ctx.state.domains.filter((d) => d.id !== domain.id)
      return json(render(domain, app))
    }),
  ]
}
