/**
 * Runs one build: download the source tarball, verify its `SHA256:<hex>` checksum, unpack it into
 * `<dataDir>/slugs/<slug id>`, read the Procfile, then record a slug and a release. Any failure marks
 * the build failed with the reason in its output.
 */
import { createHash, randomUUID } from "node:crypto"
import { mkdir, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as tar from "tar"
import type { SimContext } from "../context.ts"
import { appById } from "../resources/lookup.ts"
import { createRelease } from "../resources/releaseOps.ts"
import type { BuildRecord } from "../state/model.ts"
import { processTypes } from "./procfile.ts"

const download = async (url: string): Promise<Buffer> => {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`downloading the source failed: HTTP ${res.status}`)
  return Buffer.from(await res.arrayBuffer())
}

const verify = (blob: Buffer, checksum: string | null): void => {
  if (checksum === null) return
  const m = /^SHA256:([0-9a-f]{64})$/i.exec(checksum)
  if (m === null) throw new Error(`unsupported checksum format: ${checksum}`)
  const actual = createHash("sha256").update(blob).digest("hex")
  if (actual !== m[1]!.toLowerCase()) throw new Error(`checksum mismatch: expected ${m[1]}, got ${actual}`)
}

const unpack = async (blob: Buffer, dir: string): Promise<number> => {
  await mkdir(dir, { recursive: true })
  const file = `${dir}.tgz`
  await writeFile(file, blob)
  let entries = 0
  try {
    await tar.x({ file, cwd: dir, strict: true, onReadEntry: () => void entries++ })
  } finally {
    await rm(file, { force: true })
  }
  if (entries === 0) throw new Error("the source tarball is empty or not a tarball")
  return entries
}

/** Runs the build to completion; never throws (failures are recorded on the build). */
export const runBuild = async (ctx: SimContext, build: BuildRecord): Promise<void> => {
  const log = (line: string) => {
    build.output += `${line}\n`
  }
  const slugId = randomUUID()
  const slugDir = join(ctx.dataDir, "slugs", slugId)
  try {
    log("-----> Building on the Heroku simulator")
    log(`-----> Fetching source${build.sourceBlob.version === null ? "" : ` (${build.sourceBlob.version})`}`)
    const blob = await download(build.sourceBlob.url)
    verify(blob, build.sourceBlob.checksum)
    const entries = await unpack(blob, slugDir)
    log(`-----> Unpacked ${entries} entries`)
    for (const line of (await ctx.dynoRunner.prepareSlug?.(slugDir)) ?? []) log(line)
    const types = processTypes(slugDir)
    log(`-----> Discovering process types: ${Object.keys(types).join(", ") || "(none)"}`)
    const app = appById(ctx, build.appId)
    if (app === undefined) throw new Error("the app was deleted during the build")
    const now = ctx.now()
    ctx.state.slugs.push({
      id: slugId,
      appId: app.id,
      processTypes: types,
      commit: build.sourceBlob.version,
      checksum: `SHA256:${createHash("sha256").update(blob).digest("hex")}`,
      size: blob.length,
      stack: build.stack,
      createdAt: now,
      updatedAt: now,
    })
    const description = `Deploy ${build.sourceBlob.version?.slice(0, 8) ?? slugId.slice(0, 8)}`
    const release = createRelease(ctx, app, { description, slugId })
    log(`-----> Released v${release.version}`)
    Object.assign(build, { status: "succeeded", slugId, releaseId: release.id, updatedAt: ctx.now() })
  } catch (e) {
    log(`!     Build failed: ${e instanceof Error ? e.message : String(e)}`)
    await rm(slugDir, { recursive: true, force: true })
    Object.assign(build, { status: "failed", updatedAt: ctx.now() })
  }
  ctx.store.save()
}
