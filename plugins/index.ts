/**
 * The plugin registry: the only file that lists every plugin. The engine receives this list and
 * never imports a plugin itself.
 */
import { fakePlugin } from "./fake/plugin.ts"

/** Every plugin, in no particular order (the engine orders steps by wave). */
export const plugins = [fakePlugin] as const
