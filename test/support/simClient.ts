/** A minimal Platform API client over global fetch, for tests that talk to the simulator. */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as tar from "tar"

export interface ApiResponse {
  readonly status: number
  readonly headers: Headers
  readonly body: unknown
}

export interface CallOptions {
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

export const ACCEPT = "application/vnd.heroku+json; version=3"

export const herokuClient = (baseUrl: string, token: string) => {
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Accept: ACCEPT,
        Authorization: `Bearer ${token}`,
        "Content-Type": "application/json",
        ...options.headers,
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    })
    const text = await res.text()
    return {
      status: res.status,
      headers: res.headers,
      body: text === "" ? null : (JSON.parse(text) as unknown),
    }
  }
  return { call }
}

export type HerokuClient = ReturnType<typeof herokuClient>

/** Polls `f` until it returns a value other than undefined (or throws after `timeoutMs`). */
export const waitFor = async <A>(f: () => Promise<A | undefined>, timeoutMs = 10_000): Promise<A> => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const v = await f()
    if (v !== undefined) return v
    if (Date.now() > deadline) throw new Error("waitFor: timed out")
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** A gzipped tarball of the given files. */
export const tarball = async (files: Readonly<Record<string, string>>): Promise<Buffer> => {
  const dir = await mkdtemp(join(tmpdir(), "sim-src-"))
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
    const chunks: Buffer[] = []
    for await (const chunk of tar.c({ gzip: true, cwd: dir, portable: true }, Object.keys(files))) {
      chunks.push(Buffer.from(chunk as Uint8Array))
    }
    return Buffer.concat(chunks)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export const sampleApp = {
  Procfile: "web: node server.js\nworker: node worker.js\n",
  "package.json": '{"name":"sample","version":"1.0.0"}\n',
  "server.js": "console.log('hello')\n",
}
