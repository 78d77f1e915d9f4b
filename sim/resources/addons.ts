/** Add-ons: create (async provisioning), info, list (per app and global), change plan, delete. */
import { randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { ApiError, invalidParams } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { findPlan, postgresService } from "../state/catalog.ts"
import type { AddonRecord } from "../state/model.ts"
import {
  attach,
  checkAttachmentName,
  defaultAttachmentName,
  deprovision,
  finishProvisioning,
  generateAddonName,
  provisionDatabase,
  syntheticUrl,
} from "./addonOps.ts"
import { asObject, optString } from "./body.ts"
import { findAddon, findApp, identity } from "./lookup.ts"
import { renderAddon } from "./render.ts"

const planOf = (value: unknown) => {
  const spec = identity(value)
  if (spec === undefined) throw invalidParams("plan is required.")
  const found = findPlan(spec)
  if (found === undefined)
    throw invalidParams(`Couldn't find either the add-on service or the add-on plan of "${spec}".`)
  return found
}

/** The `config` provisioning options: string values under `^\w+$` keys, as the schema allows. */
const configOf = (value: unknown): Record<string, string> => {
  if (value === undefined || value === null) return {}
  if (typeof value !== "object" || Array.isArray(value)) throw invalidParams("config must be an object.")
  const config: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    if (!/^\w+$/.test(k)) throw invalidParams(`config key ${JSON.stringify(k)} is invalid.`)
    if (typeof v !== "string") throw invalidParams(`config.${k} must be a string.`)
    config[k] = v
  }
  return config
}

export const addonRoutes = (ctx: SimContext): Route[] => [
  route("POST", "/apps/:app/addons", "add-on#Create", async (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = asObject(req.body)
    const { service, plan } = planOf(body.plan)
    const config = configOf(body.config)
    const as = optString(asObject(body.attachment), "name")
    const attachmentName = as ?? defaultAttachmentName(ctx, app, service.attachAs, service.name)
    checkAttachmentName(ctx, app, attachmentName)
    const name = optString(body, "name") ?? generateAddonName(ctx, service.name)
    if (!/^[a-zA-Z][A-Za-z0-9_-]+$/.test(name)) throw invalidParams("Add-on name is invalid.")
    if (ctx.state.addons.some((a) => a.name === name))
      throw invalidParams(`Add-on name ${name} is already taken.`)
    // the database is created after the add-on is recorded (below), as on Heroku: a create whose
    // answer was lost and a retry that re-lists the app's add-ons find this one, never make two
    let url = ""
    if (service.name === postgresService) {
      if (ctx.databases === null) {
        throw new ApiError(
          422,
          "invalid_params",
          "heroku-postgresql is unavailable: the simulator was started without a Postgres server (options.postgres).",
        )
      }
    } else if (service.name === "heroku-redis" && ctx.redis !== null) url = ctx.redis.url
    else {
      url = syntheticUrl(service.name)
      if (service.name === "heroku-redis")
        ctx.notice(
          `${app.name}: the heroku-redis add-on's REDIS_URL is not backed (no redis-server is installed here; install one to back it)`,
        )
    }
    const now = ctx.now()
    const addon: AddonRecord = {
      id: randomUUID(),
      name,
      appId: app.id,
      service: service.name,
      plan,
      state: "provisioning",
      url,
      database: null,
      config,
      createdAt: now,
      updatedAt: now,
    }
    ctx.state.addons.push(addon)
    attach(ctx, addon, app, attachmentName)
    if (service.name === postgresService) {
      // recorded before the database exists: a concurrent request sees the add-on provisioning
      ctx.store.save()
      try {
        await provisionDatabase(ctx, addon.id)
      } catch (error) {
        await deprovision(ctx, addon)
        throw error
      }
    } else if (ctx.provisionDelayMs <= 0) finishProvisioning(ctx, addon.id)
    else ctx.tasks.later(ctx.provisionDelayMs, () => finishProvisioning(ctx, addon.id))
    return created(renderAddon(ctx, addon))
  }),
  route("GET", "/apps/:app/addons", "add-on#List By App", (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(
      // as Heroku: the app's own add-ons and those of other apps attached to it
      ctx.state.addons
        .filter(
          (a) =>
            a.appId === app.id ||
            ctx.state.attachments.some((at) => at.addonId === a.id && at.appId === app.id),
        )
        .map((a) => renderAddon(ctx, a)),
      ["id", "name"],
    )
  }),
  route("GET", "/addons", "add-on#List", () =>
    list(
      ctx.state.addons.map((a) => renderAddon(ctx, a)),
      ["id", "name"],
    ),
  ),
  route("GET", "/addons/:addon", "add-on#Info", (req) =>
    json(renderAddon(ctx, findAddon(ctx, req.params.addon!))),
  ),
  route("GET", "/addons/:addon/config", "add-on-config#List", (req) => {
    const addon = findAddon(ctx, req.params.addon!)
    return list(
      Object.entries(addon.config).map(([name, value]) => ({ name, value })),
      ["name"],
    )
  }),
  route("GET", "/apps/:app/addons/:addon", "add-on#Info By App", (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(renderAddon(ctx, findAddon(ctx, req.params.addon!, app)))
  }),
  route("PATCH", "/apps/:app/addons/:addon", "add-on#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const addon = findAddon(ctx, req.params.addon!, app)
    const { service, plan } = planOf(asObject(req.body).plan)
    if (service.name !== addon.service) {
      throw invalidParams(`Plan change must stay within ${addon.service}; got ${service.name}.`)
    }
    addon.plan = plan
    addon.updatedAt = ctx.now()
    return json(renderAddon(ctx, addon))
  }),
  route("DELETE", "/apps/:app/addons/:addon", "add-on#Delete", async (req) => {
    const app = findApp(ctx, req.params.app!)
    const addon = findAddon(ctx, req.params.addon!, app)
    const before = renderAddon(ctx, addon)
    await deprovision(ctx, addon)
    return json({ ...before, state: "deprovisioned", config_vars: [], updated_at: addon.updatedAt })
  }),
]
