/**
 * The drains plugin's pure part. Drains match by URL; a declared URL the app lacks is created, an
 * app drain the manifest does not list (and no add-on owns) is removed. URLs are shown only as
 * fingerprints (they often carry a token); addresses use the position in the manifest or the
 * drain's token, never the URL.
 */
import * as Redacted from "effect/Redacted"
import type { PlannedChange } from "../../engine/index.ts"
import { type DrainsSpec, plainOf } from "./spec.ts"

export interface LiveDrain {
  readonly id: string
  readonly token: string
  readonly url: Redacted.Redacted<string>
}

export interface DrainsLive {
  readonly app: string
  /** The app's own drains (add-on drains are not managed here). */
  readonly drains: ReadonlyArray<LiveDrain>
}

export type DrainsChange =
  | { readonly kind: "create"; readonly app: string; readonly url: Redacted.Redacted<string> }
  | { readonly kind: "delete"; readonly app: string; readonly id: string; readonly token: string }

/** Pure: the creates and removals that make the app's drains the declared ones. */
export const diffDrains = (
  desired: DrainsSpec,
  live: DrainsLive,
): ReadonlyArray<PlannedChange<DrainsChange>> => {
  const have = new Set(live.drains.map((d) => Redacted.value(d.url)))
  const want = new Set(desired.map(plainOf))
  const creates = desired.flatMap((v, i): ReadonlyArray<PlannedChange<DrainsChange>> => {
    const url = plainOf(v)
    if (have.has(url)) return []
    const secret = Redacted.make(url)
    return [
      {
        key: `drain-${i + 1}`,
        action: "create",
        after: secret,
        sensitive: true,
        reason: `drain ${i + 1} of the manifest is not on the app`,
        change: { kind: "create", app: live.app, url: secret },
      },
    ]
  })
  const deletes = live.drains
    .filter((d) => !want.has(Redacted.value(d.url)))
    .map(
      (d): PlannedChange<DrainsChange> => ({
        key: d.token,
        action: "delete",
        before: d.url,
        sensitive: true,
        reason: "on the app, not in the manifest",
        change: { kind: "delete", app: live.app, id: d.id, token: d.token },
      }),
    )
  return [...creates, ...deletes]
}
