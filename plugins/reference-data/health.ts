/** The reference-data version as health: the one last applied against the manifest's. */
import type { HealthReport } from "../../engine/index.ts"
import type { ReferenceLive } from "./diff.ts"
import type { DatabaseSpec } from "./spec.ts"

/** Pure: one `reference-data/version` report; nothing while the database does not exist. */
export const referenceDataHealth = (
  desired: DatabaseSpec,
  live: ReferenceLive,
): ReadonlyArray<HealthReport> => {
  const wanted = desired.referenceData?.version
  if (wanted === undefined || live.database === "missing") return []
  const facts = { version: live.version, wanted }
  if (live.version === wanted)
    return [{ resource: "reference-data/version", state: "healthy", detail: `version ${wanted}`, facts }]
  return [
    {
      resource: "reference-data/version",
      state: "progressing",
      detail:
        live.version === null
          ? `no version recorded; the manifest wants ${wanted}`
          : `version ${live.version}; the manifest wants ${wanted}`,
      facts,
    },
  ]
}
