/**
 * The manifest side of every shipped plugin: its section and its load-time checks, imported from
 * each plugin's spec and validate modules, never its plugin.ts. `validate` and `schema` need only
 * this, so they load no observe, diff or apply code (nor pg, the simulator or octokit behind it).
 * bin/manifestParts.test.ts proves it matches bin/plugins.ts, plugin by plugin.
 */
import { type ManifestPart, manifestPartsOf } from "../engine/cli/sections.ts"
import { addonsSection } from "../plugins/addons/spec.ts"
import { appSection } from "../plugins/app/spec.ts"
import { appChecks } from "../plugins/app/validate.ts"
import { databaseSection } from "../plugins/backup/spec.ts"
import { configSection } from "../plugins/config/spec.ts"
import { configChecks } from "../plugins/config/validate.ts"
import { domainsSection } from "../plugins/domains/spec.ts"
import { drainsSection } from "../plugins/drains/spec.ts"
import { formationSection } from "../plugins/formation/spec.ts"
import { healthSection } from "../plugins/health/spec.ts"
import { migrationsProblems } from "../plugins/migrations/validate.ts"
import { pipelineSection } from "../plugins/pipeline/spec.ts"
import { referenceDataProblems } from "../plugins/reference-data/validate.ts"
import { releaseSection } from "../plugins/release/spec.ts"
import { simulatorSection } from "./simulator.ts"

/** In bin/plugins.ts's order. */
export const productManifestParts: ReadonlyArray<ManifestPart> = [
  { name: "simulator", section: simulatorSection },
  { name: "app", section: appSection, validate: appChecks },
  { name: "addons", section: addonsSection },
  { name: "pipeline", section: pipelineSection },
  { name: "domains", section: domainsSection },
  { name: "drains", section: drainsSection },
  { name: "config", section: configSection, validate: configChecks },
  { name: "formation", section: formationSection },
  { name: "backup", section: databaseSection },
  { name: "migrations", section: databaseSection, validate: migrationsProblems },
  { name: "reference-data", section: databaseSection, validate: referenceDataProblems },
  { name: "release", section: releaseSection },
  { name: "health", section: healthSection },
]

export const productManifest = manifestPartsOf(productManifestParts)
