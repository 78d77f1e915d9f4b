/**
 * The Heroku Data API routes the product uses (`/client/v11/...`, see the reference §11): database
 * info, capture a backup, list and show transfers, restore, and daily backup schedules (schedules.ts). Served on the simulator's port with the
 * same auth as the Platform API; not part of the Platform API schema, so they name no schema link.
 */
import type { SimContext } from "../context.ts"
import { invalidParams, notFound } from "../http/errors.ts"
import { created, json, list } from "../http/reply.ts"
import { type Route, route } from "../http/router.ts"
import { asObject, optString } from "../resources/body.ts"
import { findAddon, findApp } from "../resources/lookup.ts"
import type { AddonRecord } from "../state/model.ts"
import { scheduleRoutes } from "./schedules.ts"
import { renderTransfer, startBackup, startRestore, type TransferRecord, transfers } from "./transfers.ts"

const database = (ctx: SimContext, id: string): AddonRecord => {
  const addon = findAddon(ctx, id)
  if (addon.database === null || addon.state !== "provisioned") throw notFound("database", "database")
  return addon
}

const attachmentName = (ctx: SimContext, addon: AddonRecord) =>
  ctx.state.attachments.find((a) => a.addonId === addon.id && a.appId === addon.appId)?.name ?? "DATABASE"

const findTransfer = (ctx: SimContext, appId: string | undefined, id: string): TransferRecord => {
  const name = /^[abr](\d+)$/.exec(id)?.[1]
  const t = transfers(ctx).find(
    (x) =>
      (appId === undefined || x.appId === appId) &&
      (x.uuid === id || String(x.num) === id || (name !== undefined && x.num === Number(name))),
  )
  if (t === undefined) throw notFound("transfer", "transfer")
  return t
}

export const dataApiRoutes = (ctx: SimContext): Route[] => [
  route("GET", "/client/v11/databases/:addon", null, (req) => {
    const addon = database(ctx, req.params.addon!)
    return json({
      addon_id: addon.id,
      name: addon.name,
      plan: addon.plan,
      database_name: addon.database?.name,
      info: [
        { name: "Plan", values: [addon.plan] },
        { name: "Status", values: ["Available"] },
        // the `version` the add-on was created with (its `config`), as `heroku pg:info` shows it
        ...(addon.config.version === undefined
          ? []
          : [{ name: "PG Version", values: [addon.config.version] }]),
        { name: "Continuous Protection", values: ["Off"] },
      ],
    })
  }),
  route("POST", "/client/v11/databases/:addon/backups", null, (req) => {
    const addon = database(ctx, req.params.addon!)
    return created(renderTransfer(ctx, startBackup(ctx, addon, attachmentName(ctx, addon))))
  }),
  route("GET", "/client/v11/apps/:app/transfers", null, (req) => {
    const app = findApp(ctx, req.params.app!)
    return list(
      transfers(ctx)
        .filter((t) => t.appId === app.id)
        .map((t) => renderTransfer(ctx, t)),
      ["num"],
    )
  }),
  route("GET", "/client/v11/apps/:app/transfers/:id", null, (req) => {
    const app = findApp(ctx, req.params.app!)
    return json(renderTransfer(ctx, findTransfer(ctx, app.id, req.params.id!), true))
  }),
  route("POST", "/client/v11/apps/:app/transfers/:id/actions/public-url", null, (req) => {
    // `heroku pg:backups:url`: a signed download link to the dump, valid for ten minutes on Heroku
    const app = findApp(ctx, req.params.app!)
    const t = findTransfer(ctx, app.id, req.params.id!)
    if (t.kind !== "backup" || !t.succeeded) throw invalidParams(`Backup ${req.params.id} did not succeed.`)
    const expires = new Date(Date.parse(ctx.now()) + 10 * 60_000).toISOString()
    return created({ expires_at: expires, url: ctx.blobUrl(`/blobs/backups/${t.uuid}`) })
  }),
  ...scheduleRoutes(ctx, (id) => database(ctx, id)),
  route("POST", "/client/v11/databases/:addon/restores", null, (req) => {
    const addon = database(ctx, req.params.addon!)
    const body = asObject(req.body)
    const ref = optString(body, "backup") ?? optString(body, "backup_url")?.split("/").slice(-2, -1)[0]
    if (ref === undefined)
      throw invalidParams("backup (a name like b001 or a transfer uuid) or backup_url is required.")
    const own = transfers(ctx).some(
      (t) => t.appId === addon.appId && (t.uuid === ref || renderTransfer(ctx, t).name === ref),
    )
    const backup = findTransfer(ctx, own ? addon.appId : undefined, ref)
    if (backup.kind !== "backup" || !backup.succeeded) throw invalidParams(`Backup ${ref} did not succeed.`)
    return created(renderTransfer(ctx, startRestore(ctx, addon, backup)))
  }),
]
