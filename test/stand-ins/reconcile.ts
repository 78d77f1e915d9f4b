/**
 * The test build's entry point (bundled to dist/test/reconcile.mjs by test/support/cliGlobalSetup.ts):
 * the shipped CLI plus the `fake` stand-in plugin, which users never see (not in their JSON Schema).
 */
import { start, startTableName } from "../../bin/start.ts"

const plugins = () => import("./plugins.ts").then((m) => m.testPlugins)

start(
  {
    plugins,
    manifest: () =>
      Promise.all([import("../../engine/cli/sections.ts"), plugins()]).then(([s, p]) => s.manifestPartsOf(p)),
  },
  new URL(startTableName, import.meta.url),
)
