/** Add-on attachments: create, delete, info, lists, and `POST /actions/addon-attachments/resolve`. */
import type { IncomingHttpHeaders } from "node:http"
import type { SimContext } from "../context.ts"
import { ApiError, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { findPlan } from "../state/catalog.ts"
import type { AttachmentRecord } from "../state/model.ts"
import { attach, checkAttachmentName, defaultAttachmentName, detach } from "./addonOps.ts"
import { asObject, optString, reqString } from "./body.ts"
import { findAddon, findApp } from "./lookup.ts"
import { renderAttachment } from "./render.ts"

const wantsInclusion = (headers: IncomingHttpHeaders): boolean =>
  String(headers["accept-inclusion"] ?? "").includes("addon:plan")

const byId = (ctx: SimContext, id: string): AttachmentRecord => {
  const a = ctx.state.attachments.find((x) => x.id === id)
  if (a === undefined) throw notFound("addon_attachment", "add-on attachment")
  return a
}

export const attachmentRoutes = (ctx: SimContext): Route[] => {
  const render = (a: AttachmentRecord, headers: IncomingHttpHeaders) =>
    renderAttachment(ctx, a, wantsInclusion(headers))
  return [
    route("POST", "/addon-attachments", "add-on-attachment#Create", (req) => {
      const body = asObject(req.body)
      const addon = findAddon(ctx, reqString(body, "addon"))
      const app = findApp(ctx, reqString(body, "app"))
      const service = findPlan(`${addon.service}:${addon.plan}`)?.service
      const name =
        optString(body, "name") ??
        defaultAttachmentName(ctx, app, service?.attachAs ?? "ADDON", addon.service)
      checkAttachmentName(ctx, app, name)
      return created(render(attach(ctx, addon, app, name), req.headers))
    }),
    route("DELETE", "/addon-attachments/:id", "add-on-attachment#Delete", (req) => {
      const a = byId(ctx, req.params.id!)
      const rendered = render(a, req.headers)
      detach(ctx, a)
      return json(rendered)
    }),
    route("GET", "/addon-attachments/:id", "add-on-attachment#Info", (req) =>
      json(render(byId(ctx, req.params.id!), req.headers)),
    ),
    route("GET", "/addon-attachments", "add-on-attachment#List", (req) =>
      list(ctx.state.attachments.map((a) => render(a, req.headers))),
    ),
    route("GET", "/addons/:addon/addon-attachments", "add-on-attachment#List by Add-on", (req) => {
      const addon = findAddon(ctx, req.params.addon!)
      return list(
        ctx.state.attachments.filter((a) => a.addonId === addon.id).map((a) => render(a, req.headers)),
      )
    }),
    route("GET", "/apps/:app/addon-attachments", "add-on-attachment#List by App", (req) => {
      const app = findApp(ctx, req.params.app!)
      return list(ctx.state.attachments.filter((a) => a.appId === app.id).map((a) => render(a, req.headers)))
    }),
    route("GET", "/apps/:app/addon-attachments/:id", "add-on-attachment#Info by App", (req) => {
      const app = findApp(ctx, req.params.app!)
      const key = req.params.id!
      const a = ctx.state.attachments.find((x) => x.appId === app.id && (x.id === key || x.name === key))
      if (a === undefined) throw notFound("addon_attachment", "add-on attachment")
      return json(render(a, req.headers))
    }),
    route("POST", "/actions/addon-attachments/resolve", "add-on-attachment#Resolution", (req) => {
      const body = asObject(req.body)
      const key = reqString(body, "addon_attachment")
      const appKey = optString(body, "app")
      const service = optString(body, "addon_service")
      const app = appKey === undefined ? undefined : findApp(ctx, appKey)
      const matches = ctx.state.attachments.filter((a) => {
        if (app !== undefined && a.appId !== app.id) return false
        const addon = ctx.state.addons.find((x) => x.id === a.addonId)
        if (service !== undefined && addon?.service !== service) return false
        return a.id === key || a.name === key || `${a.name}_URL` === key || addon?.name === key
      })
      if (matches.length === 0) throw notFound("add_on attachment", "add-on attachment")
      if (matches.length > 1 && app === undefined) {
        throw new ApiError(
          422,
          "multiple_matches",
          `Ambiguous identifier; multiple matching add-on attachments found.`,
        )
      }
      return json(matches.map((a) => render(a, req.headers)))
    }),
  ]
}
