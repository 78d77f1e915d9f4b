/**
 * `validate` and `schema` read the plugins' sections and checks from bin/manifestParts.ts instead of
 * loading the plugins: it must list the very same sections and check functions as bin/plugins.ts,
 * plugin by plugin, so a plugin added or changed there cannot be missed here.
 */
import { describe, expect, it } from "vitest"
import { productManifestParts } from "./manifestParts.ts"
import { productPlugins } from "./plugins.ts"

describe("the manifest parts of the shipped plugins", () => {
  it("name the same plugins, in the same order, with the same section and check objects", () => {
    expect(productManifestParts.map((p) => p.name)).toEqual(productPlugins.map((p) => p.name))
    productPlugins.forEach((plugin, i) => {
      const part = productManifestParts[i]
      expect(part?.section, plugin.name).toBe(plugin.section)
      expect(part?.validate, plugin.name).toBe(plugin.validate)
    })
  })
})
