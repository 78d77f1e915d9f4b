/** What tests register: the shipped plugins plus the `fake` stand-in (a test-only section). */

import { productPlugins } from "../../bin/plugins.ts"
import type { AnyPlugin } from "../../engine/plugin/Plugin.ts"
import type { PluginServices } from "../../plugins/index.ts"
import { fakePlugin } from "./fakePlugin.ts"

export const testPlugins: ReadonlyArray<AnyPlugin<PluginServices>> = [fakePlugin, ...productPlugins]
