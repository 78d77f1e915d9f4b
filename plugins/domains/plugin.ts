/**
 * The domains plugin (wave `addons`, after the app and its ACM setting): adds the declared custom
 * hostnames and deletes undeclared ones (destructive). Each added domain's DNS target and certificate
 * status are in the summary's outputs; a certificate not issued yet is a warning, not drift.
 * Observation: one list of the app's domains.
 */
import { definePlugin } from "../../engine/index.ts"
import type { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { applyDomain } from "./apply.ts"
import { type DomainsChange, type DomainsLive, diffDomains, domainWarnings } from "./diff.ts"
import { observeDomains } from "./observe.ts"
import { type DomainsSpec, domainsSection } from "./spec.ts"

/** Custom domains of the app. */
export const domainsPlugin = definePlugin<DomainsSpec, DomainsLive, DomainsChange, HerokuApi>({
  name: "domains",
  section: domainsSection,
  wave: "addons",
  observe: (_desired, ctx) => observeDomains(ctx),
  diff: (desired, live) => diffDomains(desired, live),
  apply: (change) => applyDomain(change),
  warnings: domainWarnings,
})
