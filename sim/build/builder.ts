/**
 * Runs one build: download the source tarball from the simulator's blob store, verify its
 * `SHA256:<hex>` checksum, unpack it into `<dataDir>/slugs/<slug id>`, build it there as the Node.js
 * buildpack does (nodejs.ts), read the Procfile, then record a slug and a release. Every build ends
 * `succeeded` or `failed`; a failure's reason is the last line of its output.
 */
import { createHash, randomUUID } from "node:crypto"
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as tar from "tar"
import type { SimContext } from "../context.ts"
import { appById } from "../resources/lookup.ts"
import { createRelease } from "../resources/releaseOps.ts"
import type { BuildRecord } from "../state/model.ts"
import { buildNode } from "./nodejs.ts"
import { processTypes } from "./procfile.ts"
import { sourceIdOf } from "./source.ts"

const nodejs = [
  "heroku/nodejs",
  "https://github.com/heroku/heroku-buildpack-nodejs",
  "https://github.com/heroku/heroku-buildpack-nodejs.git",
  "https://buildpack-registry.s3.amazonaws.com/buildpacks/heroku/nodejs.tgz",
]

/** The uploaded source, read from the blob store itself (never fetched from a URL). */
const readSource = async (ctx: SimContext, url: string): Promise<Buffer> => {
  const id = sourceIdOf(ctx, url)
  if (id === null) throw new Error("the source blob is not in the simulator's blob store")
  return readFile(join(ctx.dataDir, "sources", `${id}.tgz`)).catch(() => {
    throw new Error("nothing was uploaded to the source blob")
  })
}

const verify = (blob: Buffer, checksum: string | null): void => {
  if (checksum === null) return
  const m = /^SHA256:([0-9a-f]{64})$/i.exec(checksum)
  if (m === null) throw new Error(`unsupported checksum format: ${checksum}`)
  const actual = createHash("sha256").update(blob).digest("hex")
  if (actual !== m[1]!.toLowerCase()) throw new Error(`checksum mismatch: expected ${m[1]}, got ${actual}`)
}

const unpack = async (blob: Buffer, dir: string): Promise<number> => {
  await mkdir(dir, { recursive: true, mode: 0o755 })
  const file = `${dir}.tgz`
  await writeFile(file, blob)
  let entries = 0
  try {
    await tar.x({ file, cwd: dir, strict: true, onReadEntry: () => void entries++ })
  } finally {
    await rm(file, { force: true }).catch(() => {})
  }
  if (entries === 0) throw new Error("the source tarball is empty or not a tarball")
  // dynos may run as another (unprivileged) user: the slug must be readable by it
  await chmod(dir, 0o755)
  return entries
}

const build = async (ctx: SimContext, record: BuildRecord, slugDir: string, log: (l: string) => void) => {
  const slugId = slugDir.slice(slugDir.lastIndexOf("/") + 1)
  const other = record.buildpacks.filter((b) => !nodejs.includes(b))
  if (other.length > 0)
    throw new Error(`unsupported buildpack ${other.join(", ")}: the simulator builds with heroku/nodejs only`)
  log("-----> Building on the Heroku simulator (heroku/nodejs)")
  log(`-----> Fetching source${record.sourceBlob.version === null ? "" : ` (${record.sourceBlob.version})`}`)
  const blob = await readSource(ctx, record.sourceBlob.url)
  verify(blob, record.sourceBlob.checksum)
  const entries = await unpack(blob, slugDir)
  log(`-----> Unpacked ${entries} entries`)
  const found = appById(ctx, record.appId)
  if (found === undefined) throw new Error("the app was deleted during the build")
  await buildNode({ dataDir: ctx.dataDir, appId: found.id, dir: slugDir, config: found.config, log })
  const types = processTypes(slugDir)
  log(`-----> Discovering process types: ${Object.keys(types).join(", ") || "(none)"}`)
  const app = appById(ctx, record.appId)
  if (app === undefined) throw new Error("the app was deleted during the build")
  const now = ctx.now()
  ctx.state.slugs.push({
    id: slugId,
    appId: app.id,
    processTypes: types,
    commit: record.sourceBlob.version,
    checksum: `SHA256:${createHash("sha256").update(blob).digest("hex")}`,
    size: blob.length,
    stack: record.stack,
    createdAt: now,
    updatedAt: now,
  })
  const description = `Deploy ${record.sourceBlob.version?.slice(0, 8) ?? slugId.slice(0, 8)}`
  const release = createRelease(ctx, app, { description, slugId })
  log(`-----> Released v${release.version}`)
  return { slugId, releaseId: release.id }
}

/** Runs the build to completion; never throws, and always leaves the build succeeded or failed. */
export const runBuild = async (ctx: SimContext, record: BuildRecord): Promise<void> => {
  const log = (line: string) => {
    record.output += `${line}\n`
  }
  const slugDir = join(ctx.dataDir, "slugs", randomUUID())
  try {
    const done = await build(ctx, record, slugDir, log)
    Object.assign(record, { status: "succeeded", ...done, updatedAt: ctx.now() })
  } catch (e) {
    log(`!     Build failed: ${e instanceof Error ? e.message : String(e)}`)
    Object.assign(record, { status: "failed", updatedAt: ctx.now() })
    await rm(slugDir, { recursive: true, force: true }).catch((cleanup: unknown) => {
      log(
        `!     (could not remove ${slugDir}: ${cleanup instanceof Error ? cleanup.message : String(cleanup)})`,
      )
    })
  }
  try {
    ctx.store.save()
  } catch (e) {
    log(`!     (could not save the simulator's state: ${e instanceof Error ? e.message : String(e)})`)
  }
}
