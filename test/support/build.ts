/**
 * Deploying a fixture app's folder to the simulator the way a client does: a source, an upload of
 * its tarball, a build, then waiting for the build to end.
 */
import { join, resolve } from "node:path"
import * as tar from "tar"
import type { HerokuClient } from "./simClient.ts"
import { waitFor } from "./simClient.ts"

/** The folder of a fixture app under test/fixtures/apps. */
export const fixtureApp = (name: string): string => resolve(import.meta.dirname, "../fixtures/apps", name)

/** A gzipped tarball of everything in `dir` except node_modules. */
export const tarballDir = async (dir: string): Promise<Buffer> => {
  const chunks: Buffer[] = []
  const filter = (path: string) => !path.split("/").includes("node_modules")
  for await (const chunk of tar.c({ gzip: true, cwd: dir, portable: true, filter }, ["."]))
    chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks)
}

export interface BuildResult {
  readonly id: string
  readonly status: string
  readonly output: string
  readonly slug: { readonly id: string } | null
}

/** Uploads `dir` as a source and builds it on `app`; resolves once the build has ended. */
export const buildDir = async (
  api: HerokuClient,
  app: string,
  dir: string,
  extra: Record<string, unknown> = {},
): Promise<BuildResult> => {
  const source = await api.call("POST", "/sources")
  const blob = (source.body as { source_blob: { put_url: string; get_url: string } }).source_blob
  const put = await fetch(blob.put_url, { method: "PUT", body: await tarballDir(dir) })
  if (!put.ok) throw new Error(`upload failed: ${put.status}`)
  const created = await api.call("POST", `/apps/${app}/builds`, {
    body: { source_blob: { url: blob.get_url }, ...extra },
  })
  if (created.status !== 201)
    throw new Error(`build create: ${created.status} ${JSON.stringify(created.body)}`)
  const build = created.body as { id: string; output_stream_url: string }
  const output = await (await fetch(build.output_stream_url)).text()
  const done = await waitFor(async () => {
    const b = (await api.call("GET", `/apps/${app}/builds/${build.id}`)).body as BuildResult
    return b.status === "pending" ? undefined : b
  }, 120_000)
  return { ...done, output }
}

export const slugPath = (dataDir: string, slugId: string, ...rest: string[]) =>
  join(dataDir, "slugs", slugId, ...rest)
