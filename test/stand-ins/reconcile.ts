/**
 * The test build's entry point (bundled to dist/test/reconcile.mjs by test/support/cliGlobalSetup.ts):
 * the shipped CLI plus the `fake` stand-in plugin, which users never see (not in their JSON Schema).
 */
import { main } from "../../bin/main.ts"
import { testPlugins } from "./plugins.ts"

main(testPlugins)
