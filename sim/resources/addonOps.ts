/**
 * Add-on lifecycle: provisioning (a real database for heroku-postgresql, a synthetic URL
 * otherwise), attaching and detaching (each sets or unsets `<NAME>_URL` in one release), and
 * deprovisioning.
 */
import { randomBytes, randomUUID } from "node:crypto"
import type { SimContext } from "../context.ts"
import { invalidParams } from "../http/errors.ts"
import type { AddonRecord, AppRecord, AttachmentRecord } from "../state/model.ts"
import { appById } from "./lookup.ts"
import { changeConfig } from "./releaseOps.ts"

const words = ["shiny", "quiet", "rugged", "sturdy", "lively", "silent", "cubic", "amber", "polar", "swift"]

/** A globally unique add-on name like `postgresql-shiny-12345`. */
export const generateAddonName = (ctx: SimContext, service: string): string => {
  const short = service.replace(/^heroku-/, "")
  for (;;) {
    const bytes = randomBytes(3)
    const name = `${short}-${words[bytes[0]! % words.length]}-${10000 + (bytes.readUInt16BE(1) % 90000)}`
    if (!ctx.state.addons.some((a) => a.name === name)) return name
  }
}

/** The synthetic URL for a non-database add-on. */
export const syntheticUrl = (service: string): string => {
  const secret = randomBytes(12).toString("hex")
  if (service === "heroku-redis") return `redis://h:${secret}@127.0.0.1:6379`
  return `https://u:${secret}@${service}.addons.simulator.invalid/`
}

/** The default attachment name: DATABASE for the first Postgres, then HEROKU_POSTGRESQL_<COLOR>. */
export const defaultAttachmentName = (ctx: SimContext, app: AppRecord, attachAs: string, service: string) => {
  const taken = (n: string) => ctx.state.attachments.some((a) => a.appId === app.id && a.name === n)
  if (!taken(attachAs)) return attachAs
  const colors = ["AMBER", "BLUE", "COBALT", "CRIMSON", "GOLD", "GREEN", "IVORY", "OLIVE", "ONYX", "PINK"]
  const prefix = service === "heroku-postgresql" ? "HEROKU_POSTGRESQL" : attachAs
  const free = colors.map((c) => `${prefix}_${c}`).find((n) => !taken(n))
  if (free === undefined) throw invalidParams("No attachment name left; pass attachment.name.")
  return free
}

export const checkAttachmentName = (ctx: SimContext, app: AppRecord, name: string): void => {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) {
    throw invalidParams(
      "Attachment name must start with a letter and contain only uppercase letters, digits and underscores.",
    )
  }
  if (ctx.state.attachments.some((a) => a.appId === app.id && a.name === name)) {
    throw invalidParams(`Name ${name} is already used by another add-on attachment on ${app.name}.`)
  }
  if (
    Object.hasOwn(app.config, `${name}_URL`) &&
    !ctx.state.attachments.some((a) => a.appId === app.id && `${a.name}_URL` === `${name}_URL`)
  ) {
    throw invalidParams(
      `Config var ${name}_URL is already set on ${app.name}; choose another attachment name.`,
    )
  }
}

/** Records an attachment; sets its config var now if the add-on is already provisioned. */
export const attach = (
  ctx: SimContext,
  addon: AddonRecord,
  app: AppRecord,
  name: string,
): AttachmentRecord => {
  const now = ctx.now()
  const attachment = {
    id: randomUUID(),
    name,
    addonId: addon.id,
    appId: app.id,
    createdAt: now,
    updatedAt: now,
  }
  ctx.state.attachments.push(attachment)
  if (addon.state === "provisioned") exposeAttachment(ctx, addon, attachment)
  return attachment
}

const exposeAttachment = (ctx: SimContext, addon: AddonRecord, attachment: AttachmentRecord): void => {
  const app = appById(ctx, attachment.appId)
  if (app === undefined) return
  changeConfig(
    ctx,
    app,
    { [`${attachment.name}_URL`]: addon.url },
    `Attach ${attachment.name} (@ref:${addon.name})`,
  )
}

/** Marks a provisioning add-on provisioned and sets the config vars of its attachments. */
export const finishProvisioning = (ctx: SimContext, addonId: string): void => {
  const addon = ctx.state.addons.find((a) => a.id === addonId)
  if (addon === undefined || addon.state !== "provisioning") return
  addon.state = "provisioned"
  addon.updatedAt = ctx.now()
  for (const attachment of ctx.state.attachments.filter((a) => a.addonId === addon.id)) {
    exposeAttachment(ctx, addon, attachment)
  }
  ctx.store.save()
}

/** Removes an attachment and unsets its config var in one release. */
export const detach = (ctx: SimContext, attachment: AttachmentRecord): void => {
  ctx.state.attachments = ctx.state.attachments.filter((a) => a.id !== attachment.id)
  const app = appById(ctx, attachment.appId)
  const addon = ctx.state.addons.find((a) => a.id === attachment.addonId)
  if (app === undefined) return
  changeConfig(
    ctx,
    app,
    { [`${attachment.name}_URL`]: null },
    `Detach ${attachment.name} (@ref:${addon?.name ?? attachment.addonId})`,
  )
}

/**
 * Creates a provisioning Postgres add-on's database, then finishes provisioning after the delay. An
 * add-on deleted meanwhile gets its database dropped instead.
 */
export const provisionDatabase = async (ctx: SimContext, addonId: string): Promise<void> => {
  if (ctx.databases === null) return
  const db = await ctx.databases.create()
  const addon = ctx.state.addons.find((a) => a.id === addonId)
  if (addon === undefined || addon.state !== "provisioning") {
    await ctx.databases.drop(db)
    return
  }
  addon.url = db.url
  addon.database = { name: db.name, role: db.role }
  ctx.store.save()
  if (ctx.provisionDelayMs <= 0) finishProvisioning(ctx, addon.id)
  else ctx.tasks.later(ctx.provisionDelayMs, () => finishProvisioning(ctx, addon.id))
}

/** Detaches everywhere, drops the database, and forgets the add-on (and its backup schedules). */
export const deprovision = async (ctx: SimContext, addon: AddonRecord): Promise<void> => {
  for (const attachment of ctx.state.attachments.filter((a) => a.addonId === addon.id))
    detach(ctx, attachment)
  ctx.state.addons = ctx.state.addons.filter((a) => a.id !== addon.id)
  ctx.state.schedules = ctx.state.schedules.filter((s) => s.addonId !== addon.id)
  addon.state = "deprovisioned"
  addon.updatedAt = ctx.now()
  if (addon.database !== null && ctx.databases !== null) await ctx.databases.drop(addon.database)
}
