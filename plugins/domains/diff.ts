/**
 * The domains plugin's pure part: a create per declared hostname the app lacks, a destructive delete
 * per custom domain it has and the manifest does not list. A certificate or DNS check still under
 * way is reported as pending (a warning), never as drift.
 */
import type { PlannedChange } from "../../engine/index.ts"
import type { DomainsSpec } from "./spec.ts"

export interface LiveDomain {
  readonly hostname: string
  /** The DNS target the hostname's CNAME (or ALIAS) must point at. */
  readonly cname: string | null
  readonly status: string
  readonly acmStatus: string | null
}

export interface DomainsLive {
  readonly app: string
  readonly domains: ReadonlyArray<LiveDomain>
}

export type DomainsChange =
  | { readonly kind: "create"; readonly app: string; readonly hostname: string }
  | { readonly kind: "delete"; readonly app: string; readonly hostname: string }

/** Pure: creates and deletes that make the app's custom domains the declared ones. */
export const diffDomains = (
  desired: DomainsSpec,
  live: DomainsLive,
): ReadonlyArray<PlannedChange<DomainsChange>> => {
  const have = new Set(live.domains.map((d) => d.hostname))
  const want = new Set(desired)
  const creates = desired
    .filter((h) => !have.has(h))
    .map(
      (hostname): PlannedChange<DomainsChange> => ({
        key: hostname,
        action: "create",
        after: hostname,
        reason: "declared in the manifest, not on the app",
        change: { kind: "create", app: live.app, hostname },
      }),
    )
  const deletes = live.domains
    .filter((d) => !want.has(d.hostname))
    .map(
      (d): PlannedChange<DomainsChange> => ({
        key: d.hostname,
        action: "delete",
        before: d.hostname,
        destructive: true,
        reason: "on the app, not in the manifest: the hostname stops serving the app",
        change: { kind: "delete", app: live.app, hostname: d.hostname },
      }),
    )
  return [...creates, ...deletes]
}

/** What a domain still waits for, or null when it is ready. */
export const pendingOf = (d: LiveDomain): string | null => {
  if (d.acmStatus !== null && d.acmStatus !== "cert issued") return `certificate ${d.acmStatus} (ACM)`
  return d.status === "pending" ? "DNS check pending" : null
}

/** One line per domain: DNS target and certificate status (the summary's outputs). */
export const describeDomain = (d: LiveDomain): string =>
  `DNS target ${d.cname ?? "(none)"}, certificate ${d.acmStatus ?? "not managed (ACM off)"}`

/** Declared domains still waiting for their certificate or DNS check: pending, not drift. */
export const domainWarnings = (desired: DomainsSpec, live: DomainsLive): ReadonlyArray<string> =>
  live.domains
    .filter((d) => desired.includes(d.hostname))
    .flatMap((d) => {
      const waiting = pendingOf(d)
      return waiting === null
        ? []
        : [`domain ${d.hostname}: ${waiting}; point its DNS at ${d.cname ?? "(none)"}`]
    })
