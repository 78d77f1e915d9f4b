/**
 * What the shipped CLI registers: every plugin, plus the `simulator` section the process edge reads
 * to choose the Heroku endpoint. Test stand-ins are added only by the test build (test/stand-ins/).
 */
import type { AnyPlugin } from "../engine/plugin/Plugin.ts"
import { type PluginServices, plugins } from "../plugins/index.ts"
import { simulatorPlugin } from "./simulator.ts"

export const productPlugins: ReadonlyArray<AnyPlugin<PluginServices>> = [simulatorPlugin, ...plugins]
