/** The shipped CLI's entry point (bundled to dist/reconcile.mjs): every product plugin, no stand-ins. */
import { start, startTableName } from "./start.ts"

start(
  {
    plugins: () => import("./plugins.ts").then((m) => m.productPlugins),
    manifest: () => import("./manifestParts.ts").then((m) => m.productManifest),
  },
  new URL(startTableName, import.meta.url),
)
