/**
 * The test build's entry point (bundled to dist/test/reconcile.mjs by test/support/cliGlobalSetup.ts):
 * the shipped CLI plus the `fake` stand-in plugin, which users never see (not in their JSON Schema).
 */
import { main } from "../../bin/main.ts"

const plugins = () => import("./plugins.ts").then((m) => m.testPlugins)

main({
  plugins,
  manifest: () =>
    Promise.all([import("../../engine/cli/sections.ts"), plugins()]).then(([s, p]) => s.manifestPartsOf(p)),
})
