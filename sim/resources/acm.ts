/**
 * Automated Certificate Management: `POST /apps/{app}/acm` turns it on, `DELETE` off, `PATCH`
 * refreshes (each answers the app, as the schema says). With ACM on, each custom domain's
 * `acm_status` is `pending` until the simulated DNS check and issuance finish `acmDelayMs` later,
 * then `cert issued`; a domain's own `status` goes `pending` → `succeeded` on the same check.
 */
import type { SimContext } from "../context.ts"
import { json } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import type { AppRecord } from "../state/model.ts"
import { appById, findApp } from "./lookup.ts"
import { renderApp } from "./render.ts"

/** Settles the domain after the ACM delay: DNS target found, and a certificate when ACM is on. */
export const scheduleDomainCheck = (ctx: SimContext, domainId: string): void => {
  ctx.tasks.later(ctx.acmDelayMs, () => {
    const domain = ctx.state.domains.find((d) => d.id === domainId)
    if (domain === undefined) return
    const app = appById(ctx, domain.appId)
    domain.status = "succeeded"
    if (app?.acm === true && domain.acmStatus !== "cert issued") {
      domain.acmStatus = "cert issued"
      domain.acmStatusReason = null
    }
    domain.updatedAt = ctx.now()
    ctx.store.save()
  })
}

/** Re-arms the checks a restart interrupted. */
export const resumeDomainChecks = (ctx: SimContext): void => {
  for (const d of ctx.state.domains) {
    const app = appById(ctx, d.appId)
    if (d.status === "pending" || (app?.acm === true && d.acmStatus === "pending"))
      scheduleDomainCheck(ctx, d.id)
  }
}

const setAcm = (ctx: SimContext, app: AppRecord, on: boolean): void => {
  app.acm = on
  app.updatedAt = ctx.now()
  for (const d of ctx.state.domains.filter((x) => x.appId === app.id)) {
    if (on && d.acmStatus !== "cert issued") {
      d.acmStatus = "pending"
      scheduleDomainCheck(ctx, d.id)
    }
    if (!on) d.acmStatus = null
    d.acmStatusReason = null
    d.updatedAt = app.updatedAt
  }
}

export const acmRoutes = (ctx: SimContext): Route[] => [
  route("POST", "/apps/:app/acm", "app#Enable ACM", (req) => {
    const app = findApp(ctx, req.params.app!)
    setAcm(ctx, app, true)
    return json(renderApp(ctx, app))
  }),
  route("DELETE", "/apps/:app/acm", "app#Disable ACM", (req) => {
    const app = findApp(ctx, req.params.app!)
    setAcm(ctx, app, false)
    return json(renderApp(ctx, app))
  }),
  route("PATCH", "/apps/:app/acm", "app#Refresh ACM", (req) => {
    const app = findApp(ctx, req.params.app!)
    if (app.acm) setAcm(ctx, app, true)
    return json(renderApp(ctx, app))
  }),
]
