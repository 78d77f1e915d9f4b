/**
 * A dry-run writes nothing into the tree, yet needs the frontend digest and source checksum an apply
 * would produce. So it builds in a temporary copy: files and folders are copied (modes kept, so the
 * tarball is byte-identical), `node_modules` packages are linked, not copied, and `.git` and
 * `.reconcile` are left out. When `source.dir` sits inside the checkout the run started in, the
 * whole checkout is copied (its other hidden folders aside), so a build command that reaches outside
 * `source.dir` (`cd .. && npm run build:web`, a monorepo's root tooling) finds what it would in the
 * tree. The copy is removed afterwards.
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
import { isAbsolute, join, relative, resolve, sep } from "node:path"
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

/** Copies `from` into `to`; outside `keep` (the source tree) hidden folders are left out too. */
const copyTree = (from: string, to: string, keep: string): void => {
  const inSource = from === keep || from.startsWith(`${keep}${sep}`)
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (left.has(entry.name)) continue
    if (
      !inSource &&
      entry.isDirectory() &&
      entry.name.startsWith(".") &&
      !keep.startsWith(join(from, entry.name))
    )
      continue
    const src = join(from, entry.name)
    const dst = join(to, entry.name)
    if (entry.name === "node_modules") linkModules(src, dst)
    else if (entry.isDirectory()) {
      mkdirSync(dst)
      copyTree(src, dst, keep)
    } else if (entry.isSymbolicLink()) symlinkSync(readlinkSync(src), dst)
    else if (entry.isFile()) copyFileSync(src, dst)
  }
}

/** The folder to copy for `root`: the checkout (working directory) holding it, else `root` itself. */
const workspaceOf = (root: string): string => {
  const cwd = resolve(".")
  const inside = relative(cwd, root)
  return inside !== "" && !inside.startsWith("..") && !isAbsolute(inside) ? cwd : root
}

/**
 * Runs `use` on the temporary copy of `root` (inside a copy of its checkout), removed afterwards
 * whatever happens.
 */
export const withBuildCopy = <A, E, R>(
  root: string,
  use: (copy: string) => Effect.Effect<A, E, R>,
): Effect.Effect<A, E | PluginError, R> => {
  const workspace = workspaceOf(root)
  const at = relative(workspace, root)
  return Effect.acquireUseRelease(
    Effect.try({
      try: () => {
        const dir = mkdtempSync(join(tmpdir(), "reconcile-build-"))
        try {
          copyTree(workspace, dir, root)
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
    (dir) => use(join(dir, at)),
    (dir) =>
      Effect.sync(() => {
        try {
          rmSync(dir, { recursive: true, force: true })
        } catch {
          // a temporary folder left behind is not worth failing the run
        }
      }),
  )
}
