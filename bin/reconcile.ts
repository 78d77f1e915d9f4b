/** The shipped CLI's entry point (bundled to dist/reconcile.mjs): every product plugin, no stand-ins. */
import { main } from "./main.ts"
import { productPlugins } from "./plugins.ts"

main(productPlugins)
