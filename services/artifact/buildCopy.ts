/**
 * A dry-run writes nothing into the tree, yet needs the frontend digest and source checksum an apply
 * would produce. So it builds in a temporary copy of `source.dir`: files and folders are copied
 * (modes kept, so the tarball is byte-identical), `node_modules` packages are linked, not copied, and
 * `.git` and `.reconcile` are left out. The copy is removed afterwards.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Effect from "effect/Effect"
import { PluginError } from "../../engine/index.ts"

const left: ReadonlySet<string> = new Set([".git", ".reconcile"])

/**
 * A `node_modules` folder of links to each package (not one link to the folder), so the caches and
 * temporary files tools write there (`.vite-temp`, `.cache`) land in the copy, never in the tree.
 */
const linkModules = (from: string, to: string): void => {
  mkdirSync(to)
  for (const name of readdirSync(from)) {
    if (name.startsWith(".") && name !== ".bin") continue
    symlinkSync(realpathSync(join(from, name)), join(to, name))
  }
}

const copyTree = (from: string, to: string): void => {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (left.has(entry.name)) continue
    const src = join(from, entry.name)
    const dst = join(to, entry.name)
    if (entry.name === "node_modules") linkModules(src, dst)
    else if (entry.isDirectory()) {
      mkdirSync(dst)
      copyTree(src, dst)
    } else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dst)
    else if (entry.isFile()) copyFileSync(src, dst)
  }
}

/** Runs `use` on a temporary copy of `root`, removed afterwards whatever happens. */
export const withBuildCopy = <A, E, R>(
  root: string,
  use: (copy: string) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E | PluginError, R> =>
  Effect.acquireUseRelease(
    Effect.try({
      try: () => {
        const dir = mkdtempSync(join(tmpdir(), "reconcile-build-"))
        try {
          copyTree(root, dir)
        } catch (e) {
          rmSync(dir, { recursive: true, force: true })
          throw e
        }
        return dir
      },
      catch: (e) =>
        new PluginError({
          reason: "Invalid",
          detail: `cannot copy ${root} for the dry-run build: ${e instanceof Error ? e.message : String(e)}`,
        }),
    }),
    use,
    (dir) =>
      Effect.sync(() => {
        try {
          rmSync(dir, { recursive: true, force: true })
        } catch {
          // a temporary folder left behind is not worth failing the run
        }
      }),
  )
