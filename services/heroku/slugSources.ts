/**
 * Which source a slug was built from, remembered on this machine. A slug never changes, so an entry
 * can be missing but never wrong; with it, observing a release needs no list of builds (the no-op
 * stays at one read per resource). Without it (a fresh CI runner), the builds are read as before and
 * the answer is remembered. Kept in `.reconcile/slug-sources.json` under the working directory.
 */
import { randomUUID } from "node:crypto"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"
import * as Effect from "effect/Effect"

const keep = 500
const fileOf = () => join(process.cwd(), ".reconcile", "slug-sources.json")

type Entries = Record<string, string>

/** The remembered entries; a missing or unreadable file (e.g. cut short by a crash) is no entries. */
const read = (): Effect.Effect<Entries> =>
  Effect.tryPromise(() => readFile(fileOf(), "utf8")).pipe(
    Effect.flatMap((text) => Effect.try(() => JSON.parse(text) as unknown)),
    Effect.map((parsed) =>
      parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Entries) : {},
    ),
    Effect.orElseSucceed(() => ({})),
  )

/** The source checksum slug `slugId` was built from, when this machine saw it built. */
export const knownSource = (slugId: string): Effect.Effect<string | null> =>
  Effect.map(read(), (entries) => {
    const checksum = Object.hasOwn(entries, slugId) ? entries[slugId] : undefined
    return typeof checksum === "string" ? checksum : null
  })

/** Remembers a slug's source (best effort: a read-only directory only costs a read next time). */
export const rememberSource = (slugId: string, checksum: string): Effect.Effect<void> =>
  Effect.gen(function* () {
    const entries = yield* read()
    if (entries[slugId] === checksum) return
    const next = Object.entries({ ...entries, [slugId]: checksum }).slice(-keep)
    const file = fileOf()
    // One temp file per write: runs in the same process (the same pid) may remember at once, and a
    // shared temp name lets one write's half land in the other's rename.
    const temp = `${file}.${process.pid}.${randomUUID()}.tmp`
    yield* Effect.tryPromise(async () => {
      await mkdir(join(process.cwd(), ".reconcile"), { recursive: true })
      await writeFile(temp, `${JSON.stringify(Object.fromEntries(next))}\n`)
      await rename(temp, file)
    }).pipe(
      Effect.tapError(() => Effect.tryPromise(() => rm(temp, { force: true })).pipe(Effect.ignore)),
      Effect.ignore,
    )
  })
