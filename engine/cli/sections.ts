/**
 * What a manifest may contain: the engine's own sections and each plugin's, with the plugins'
 * cross-section checks. This is all `validate` and `schema` need of a plugin, so the edge can hand
 * them over without loading any plugin's observe, diff or apply code.
 */
import { policySection } from "../apply/policy.ts"
import type { LoadOptions } from "../manifest/load.ts"
import type { ManifestSection } from "../manifest/Section.ts"
import type { AnyPlugin } from "../plugin/Plugin.ts"

/** A load-time check across sections (a plugin's `validate`). */
export type CrossCheck = NonNullable<LoadOptions["checks"]>[number]

/** A plugin as the manifest sees it: its name, its section and its load-time checks. */
export type ManifestPart = Pick<AnyPlugin<unknown>, "name" | "section" | "validate">

/** The sections and checks `loadManifest` takes. */
export interface ManifestParts {
  readonly sections: ReadonlyArray<ManifestSection>
  readonly checks: ReadonlyArray<CrossCheck>
}

/**
 * Every section the manifest may have: the engine's own, then the plugins'. Several plugins may read
 * one section (backup, migrations and reference data all read `database`) by sharing the same
 * section object; two different sections with one key are a programming error.
 */
export const sectionsOf = (plugins: ReadonlyArray<ManifestPart>): ReadonlyArray<ManifestSection> => {
  const byKey = new Map<string, ManifestSection>([[policySection.key, policySection]])
  for (const { section, name } of plugins) {
    const seen = byKey.get(section.key)
    if (seen !== undefined && seen !== section) {
      throw new Error(
        `plugin ${name} declares section "${section.key}", which another plugin already declares`,
      )
    }
    byKey.set(section.key, section)
  }
  return [...byKey.values()]
}

/** The plugins' cross-section manifest checks. */
export const checksOf = (plugins: ReadonlyArray<ManifestPart>): ReadonlyArray<CrossCheck> =>
  plugins.flatMap((p) => (p.validate === undefined ? [] : [p.validate]))

/** The sections and checks of these plugins. */
export const manifestPartsOf = (plugins: ReadonlyArray<ManifestPart>): ManifestParts => ({
  sections: sectionsOf(plugins),
  checks: checksOf(plugins),
})
