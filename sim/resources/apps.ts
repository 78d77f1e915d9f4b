/** Apps: create, info, list, update, delete, plus buildpack installations. */
import { randomBytes, randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { defaultStack, regions, stacks } from "../state/catalog.ts"
import type { AppRecord } from "../state/model.ts"
import { asObject, optBoolean, optString } from "./body.ts"
import { findApp, identity } from "./lookup.ts"
import { createRelease } from "./releaseOps.ts"
import { renderApp } from "./render.ts"

const NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/

const checkName = (ctx: SimContext, name: string, self?: AppRecord): void => {
  if (!NAME.test(name)) {
    throw invalidParams(
      "Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.",
    )
  }
  if (ctx.state.apps.some((a) => a.name === name && a !== self)) throw invalidParams("Name is already taken")
}

const pick = <T extends string>(kind: string, options: readonly T[], value: unknown, fallback: T): T => {
  const v = identity(value)
  if (v === undefined) return fallback
  const found = options.find((o) => o === v)
  if (found === undefined) throw invalidParams(`Couldn't find that ${kind}: ${v}.`)
  return found
}

const randomName = (ctx: SimContext): string => {
  for (;;) {
    const name = `sim-app-${randomBytes(4).toString("hex")}`
    if (!ctx.state.apps.some((a) => a.name === name)) return name
  }
}

const buildpackName = (url: string): string =>
  url.replace(/^https:\/\/buildpack-registry\.s3\.amazonaws\.com\/buildpacks\//, "")

export const appRoutes = (ctx: SimContext): Route[] => [
  route("POST", "/apps", "app#Create", (req) => {
    const body = asObject(req.body)
    const name = optString(body, "name") ?? randomName(ctx)
    checkName(ctx, name)
    const region = pick("region", regions, body.region, "us")
    const stack = pick("stack", stacks, body.stack, defaultStack)
    const now = ctx.now()
    const app: AppRecord = {
      id: randomUUID(),
      name,
      region,
      stack,
      buildStack: stack,
      maintenance: false,
      acm: false,
      buildpacks: [],
      config: {},
      formation: [],
      releasedAt: null,
      features: {},
      createdAt: now,
      updatedAt: now,
    }
    ctx.state.apps.push(app)
    createRelease(ctx, app, { description: "Initial release", slugId: null, config: {} })
    return created(renderApp(ctx, app))
  }),
  route("GET", "/apps", "app#List", () =>
    list(
      ctx.state.apps.map((a) => renderApp(ctx, a)),
      ["id", "name", "updated_at"],
    ),
  ),
  route("GET", "/users/:user/apps", "app#List Owned and Collaborated", (req) => {
    const who = req.params.user!
    const account = ctx.state.account
    if (who !== "~" && who !== account.id && who !== account.email) throw notFound("user", `user ${who}`)
    return list(
      ctx.state.apps.map((a) => renderApp(ctx, a)),
      ["id", "name", "updated_at"],
    )
  }),
  route("GET", "/apps/:app", "app#Info", (req) => json(renderApp(ctx, findApp(ctx, req.params.app!)))),
  route("PATCH", "/apps/:app", "app#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const body = asObject(req.body)
    const name = optString(body, "name")
    if (name !== undefined) checkName(ctx, name, app)
    const maintenance = optBoolean(body, "maintenance")
    const buildStack =
      body.build_stack === undefined ? undefined : pick("stack", stacks, body.build_stack, app.buildStack)
    if (name !== undefined) app.name = name
    if (maintenance !== undefined) app.maintenance = maintenance
    if (buildStack !== undefined) app.buildStack = buildStack
    app.updatedAt = ctx.now()
    return json(renderApp(ctx, app))
  }),
  route("DELETE", "/apps/:app", "app#Delete", async (req) => {
    const app = findApp(ctx, req.params.app!)
    const rendered = renderApp(ctx, app)
    const addons = ctx.state.addons.filter((a) => a.appId === app.id)
    const s = ctx.state
    s.attachments = s.attachments.filter((a) => a.appId !== app.id && !addons.some((x) => x.id === a.addonId))
    s.addons = s.addons.filter((a) => a.appId !== app.id)
    s.releases = s.releases.filter((r) => r.appId !== app.id)
    s.builds = s.builds.filter((b) => b.appId !== app.id)
    s.couplings = s.couplings.filter((c) => c.appId !== app.id)
    s.domains = s.domains.filter((d) => d.appId !== app.id)
    s.sniEndpoints = s.sniEndpoints.filter((e) => e.appId !== app.id)
    s.drains = s.drains.filter((d) => d.appId !== app.id)
    s.schedules = s.schedules.filter((x) => !addons.some((a) => a.id === x.addonId))
    s.apps = s.apps.filter((a) => a.id !== app.id)
    for (const addon of addons) {
      if (addon.database !== null && ctx.databases !== null) await ctx.databases.drop(addon.database)
    }
    ctx.tasks.run(() => ctx.dynoRunner.remove(app.name))
    return json(rendered)
  }),
  route("GET", "/apps/:app/buildpack-installations", "buildpack-installation#List", (req) =>
    json(renderBuildpacks(findApp(ctx, req.params.app!))),
  ),
  route("PUT", "/apps/:app/buildpack-installations", "buildpack-installation#Update", (req) => {
    const app = findApp(ctx, req.params.app!)
    const updates = asObject(req.body).updates
    if (!Array.isArray(updates)) throw invalidParams("updates must be an array.")
    app.buildpacks = updates.map((u: unknown) => {
      const bp = asObject(u).buildpack
      if (typeof bp !== "string" || bp === "") throw invalidParams("Each update needs a buildpack.")
      return bp
    })
    app.updatedAt = ctx.now()
    return json(renderBuildpacks(app))
  }),
]

const renderBuildpacks = (app: AppRecord) =>
  app.buildpacks.map((url, ordinal) => ({ ordinal, buildpack: { url, name: buildpackName(url) } }))
