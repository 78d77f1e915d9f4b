/** Renders state records into the Heroku response shapes of the official schema. */
import type { SimContext } from "../context.ts"
import { findPlan, ref, stableId } from "../state/catalog.ts"
import type {
  AddonRecord,
  AppRecord,
  AttachmentRecord,
  FormationRecord,
  ReleaseRecord,
} from "../state/model.ts"
import { appById, currentRelease } from "./lookup.ts"

export const user = (ctx: SimContext) => ({ id: ctx.state.account.id, email: ctx.state.account.email })

const appRef = (ctx: SimContext, appId: string) => ({
  id: appId,
  name: appById(ctx, appId)?.name ?? "deleted-app",
})

export const renderApp = (ctx: SimContext, app: AppRecord) => {
  const slugs = ctx.state.slugs.filter((s) => s.appId === app.id)
  return {
    id: app.id,
    name: app.name,
    acm: app.acm,
    archived_at: null,
    buildpack_provided_description: app.buildpacks.length > 0 ? "Node.js" : null,
    build_stack: ref("stack", app.buildStack),
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    released_at: app.releasedAt,
    generation: ref("generation", "cedar"),
    git_url: `https://git.heroku.com/${app.name}.git`,
    web_url: ctx.dynoRunner.webUrl?.(app.name) ?? `https://${app.name}-${app.id.slice(0, 12)}.herokuapp.com/`,
    internal_routing: null,
    maintenance: app.maintenance,
    owner: user(ctx),
    organization: null,
    team: null,
    space: null,
    region: ref("region", app.region),
    stack: ref("stack", app.stack),
    repo_size: null,
    slug_size: slugs.length > 0 ? slugs[slugs.length - 1]!.size : null,
  }
}

export const renderRelease = (ctx: SimContext, r: ReleaseRecord) => {
  const app = appById(ctx, r.appId)
  const current = app !== undefined && currentRelease(ctx, app)?.id === r.id
  return {
    id: r.id,
    version: r.version,
    description: r.description,
    status: r.status,
    current,
    eligible_for_rollback: r.status === "succeeded" && r.slugId !== null,
    slug: r.slugId === null ? null : { id: r.slugId },
    artifacts: r.slugId === null ? [] : [{ type: "slug", id: r.slugId }],
    addon_plan_names: r.addonPlanNames,
    app: appRef(ctx, r.appId),
    user: user(ctx),
    output_stream_url: r.output === undefined ? null : ctx.blobUrl(`/streams/releases/${r.id}`),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  }
}

/** Names of the config vars an add-on exposes to its owning app (`<ATTACHMENT>_URL` for each). */
export const addonConfigVars = (ctx: SimContext, addon: AddonRecord): string[] =>
  ctx.state.attachments
    .filter((a) => a.addonId === addon.id && a.appId === addon.appId)
    .map((a) => `${a.name}_URL`)

export const renderAddon = (ctx: SimContext, addon: AddonRecord) => ({
  id: addon.id,
  name: addon.name,
  actions: [],
  addon_service: ref("addon-service", addon.service),
  plan: ref("plan", `${addon.service}:${addon.plan}`),
  app: appRef(ctx, addon.appId),
  billing_entity: { ...appRef(ctx, addon.appId), type: "app" as const },
  billed_price: {
    cents: findPlan(`${addon.service}:${addon.plan}`)?.service.cents ?? 0,
    contract: false,
    unit: "month",
  },
  config_vars: addonConfigVars(ctx, addon),
  provider_id: stableId("provider", addon.id),
  state: addon.state,
  web_url: `https://addons-sso.heroku.com/apps/${addon.appId}/addons/${addon.id}`,
  created_at: addon.createdAt,
  updated_at: addon.updatedAt,
})

/** With `Accept-Inclusion: addon:plan,config_vars` (the CLI's), also `addon.plan` and `config_vars`. */
export const renderAttachment = (ctx: SimContext, a: AttachmentRecord, inclusion = false) => {
  const addon = ctx.state.addons.find((x) => x.id === a.addonId)
  const addonRef = {
    id: a.addonId,
    name: addon?.name ?? "deleted-addon",
    app: appRef(ctx, addon?.appId ?? a.appId),
  }
  const base = {
    id: a.id,
    name: a.name,
    app: appRef(ctx, a.appId),
    namespace: null,
    web_url: addon === undefined ? null : renderAddon(ctx, addon).web_url,
    log_input_url: null,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  }
  if (!inclusion || addon === undefined) return { ...base, addon: addonRef }
  const plan = ref("plan", `${addon.service}:${addon.plan}`)
  return { ...base, addon: { ...addonRef, plan }, config_vars: [`${a.name}_URL`] }
}

export const renderFormation = (app: AppRecord, f: FormationRecord) => ({
  id: f.id,
  type: f.type,
  quantity: f.quantity,
  size: f.size,
  dyno_size: ref("dyno-size", f.size),
  command: f.command,
  app: { id: app.id, name: app.name },
  created_at: f.createdAt,
  updated_at: f.updatedAt,
})
