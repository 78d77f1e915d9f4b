/** The release plugin's pure diff: deploy when the running source differs, promote when the slug does. */
import type { PlannedChange, RunContext } from "../../engine/index.ts"
import { buildsInCopy } from "../../services/artifact/artifact.ts"
import type { ReleaseChange } from "./apply.ts"
import type { ReleaseLive } from "./observe.ts"
import type { ReleaseSpec } from "./spec.ts"

const onFailureOf = (spec: ReleaseSpec, live: ReleaseLive) => ({
  onFailure: spec.onFailure ?? "keep",
  previous: live.start ?? null,
})

const short = (digest: string | null): string => (digest === null ? "(none)" : `${digest.slice(0, 19)}…`)

export const diffRelease = (
  spec: ReleaseSpec,
  live: ReleaseLive,
): ReadonlyArray<PlannedChange<ReleaseChange>> => {
  const running = live.current === null ? "(none)" : `v${live.current.version}`
  if (live.promotion !== null) {
    const source = live.promotion
    if (live.current?.slugId === source.release.slugId) return []
    return [
      {
        key: "promote",
        action: live.current?.slugId === null || live.current === null ? "create" : "update",
        before: { release: running, slug: live.current?.slugId ?? "(none)" },
        after: { release: `${source.appName} v${source.release.version}`, slug: source.release.slugId },
        reason:
          live.current === null
            ? `the app runs nothing yet; ${spec.promoteFrom} runs a slug`
            : `${spec.promoteFrom} runs a different slug`,
        notes: [`promotes the exact slug of ${source.appName} v${source.release.version} (no build)`],
        change: {
          ...onFailureOf(spec, live),
          kind: "promote",
          app: live.app,
          sourceAppId: source.appId,
          sourceReleaseId: source.release.id,
          sourceSlugId: source.release.slugId,
        },
      },
    ]
  }
  const local = live.local
  if (local === null) return []
  const sameSource = live.current?.checksum === local.checksum
  if (sameSource && local.frontendMismatch === null) return []
  const notes = [
    ...(local.version === null ? [] : [`commit ${local.version.slice(0, 12)}`]),
    ...(local.frontendMismatch === null ? [] : [local.frontendMismatch]),
  ]
  return [
    {
      key: "deploy",
      action: live.current?.slugId === null || live.current === null ? "create" : "update",
      before: {
        release: running,
        source: short(live.current?.checksum ?? null),
        frontend: short(live.servedDigest),
      },
      after: { source: short(local.checksum), frontend: short(local.frontendDigest) },
      reason: sameSource
        ? "the pinned frontend digest does not match the build"
        : "the source differs from the running release",
      notes,
      change: {
        ...onFailureOf(spec, live),
        kind: "deploy",
        app: live.app,
        spec,
        checksum: local.checksum,
        version: local.version,
        frontendMismatch: local.frontendMismatch,
      },
    },
  ]
}

/** A dry-run that built the frontend in a temporary copy says so (nothing in the tree was written). */
export const releaseWarnings = (spec: ReleaseSpec, live: ReleaseLive, ctx: RunContext) =>
  live.local !== null && buildsInCopy(spec, ctx)
    ? [
        `dry-run: the frontend build (${spec.frontend?.build}) ran in a temporary copy of the source to compute its digest; nothing in the tree was written`,
      ]
    : []
