/**
 * From a live app to a manifest that adopts it as it is (as `terraform import` does): a dry-run
 * right after shows nothing to change. Config values never reach the file: each var not owned by an
 * add-on becomes `{ fromEnv: KEY }` unless the user named it in --plain. Another app's add-on
 * attached here becomes an `attach` entry (its `<AS>_URL` is add-on-owned, not a var to export).
 */
import type { LiveAddon } from "../services/heroku/addons.ts"
import type { LiveApp } from "./importApp.ts"
import type { ManifestFile } from "./manifests.ts"

/** The attachment name a manifest uses for an add-on: its own, not Heroku's HEROKU_POSTGRESQL_* alias. */
export const attachmentOf = (addon: LiveAddon): string | undefined =>
  addon.attachments.find((a) => !a.startsWith("HEROKU_")) ?? addon.attachments[0]

export interface Imported {
  readonly manifest: ManifestFile
  /** Vars the runner must export (names only). */
  readonly fromEnv: ReadonlyArray<string>
  /** Add-ons left out because no config var names their attachment. */
  readonly skipped: ReadonlyArray<string>
}

export const importManifest = (env: string, live: LiveApp, plain: ReadonlyArray<string>): Imported => {
  const skipped: Array<string> = []
  const addons = live.addons.flatMap((a) => {
    const as = attachmentOf(a)
    if (as === undefined) {
      skipped.push(`${a.name} (${a.plan})`)
      return []
    }
    return [{ plan: a.plan, as }]
  })
  const attaches = live.attachments.map((a) => ({
    attach: { app: a.owner, addon: a.addonName, as: a.name },
  }))
  const owned = new Set([
    ...live.addons.flatMap((a) => a.configVars),
    ...live.attachments.map((a) => `${a.name}_URL`),
  ])
  const vars: Record<string, unknown> = {}
  const fromEnv: Array<string> = []
  for (const key of live.configKeys) {
    if (owned.has(key)) continue
    const value = live.plainValues[key]
    if (plain.includes(key) && value !== undefined) vars[key] = value
    else {
      vars[key] = { fromEnv: key }
      fromEnv.push(key)
    }
  }
  const formation = Object.fromEntries(
    [...live.formation]
      .sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0))
      .map((f) => [f.type, { quantity: f.quantity, size: f.size }]),
  )
  const spec: Record<string, unknown> = {
    app: {
      name: live.name,
      region: live.region,
      stack: live.stack,
      ...(live.buildpacks.length === 0 ? {} : { buildpacks: live.buildpacks }),
      maintenance: live.maintenance,
    },
  }
  if (addons.length + attaches.length > 0) spec.addons = [...addons, ...attaches]
  spec.config = {
    vars,
    required: [...addons.map((a) => a.as), ...attaches.map((a) => a.attach.as)]
      .map((as) => `${as}_URL`)
      .filter((k) => owned.has(k)),
    prune: false,
  }
  if (live.formation.length > 0) spec.formation = formation
  return {
    manifest: {
      name: env,
      comment: `Imported from the live app ${live.name} by \`reconcile import\`. Config values are not in this\nfile: vars read as fromEnv come from the runner's environment.`,
      spec,
    },
    fromEnv,
    skipped,
  }
}
