/**
 * Holds the state and persists it to a JSON file after every mutation, atomically (write a temp
 * file, then rename over the old one), so a crash never leaves a half-written file. Without a file
 * the state lives in memory only.
 */
import { randomUUID } from "node:crypto"
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import { emptyState, type State, upgradeState } from "./model.ts"

export class Store {
  private constructor(
    readonly state: State,
    private readonly file: string | null,
  ) {}

  /** Loads the file if it exists, else starts empty. */
  static open(file: string | undefined): Store {
    if (file === undefined) return new Store(emptyState(new Date().toISOString(), randomUUID()), null)
    let state: State
    try {
      state = upgradeState(
        JSON.parse(readFileSync(file, "utf8")) as State,
        new Date().toISOString(),
        randomUUID(),
      )
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e
      state = emptyState(new Date().toISOString(), randomUUID())
    }
    const store = new Store(state, file)
    store.save()
    return store
  }

  /** Writes the state to disk (no-op in memory). */
  save(): void {
    if (this.file === null) return
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.${randomUUID()}.tmp`
    // every config var is in here: owner-only (the rename carries the temp file's mode over)
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 })
    renameSync(tmp, this.file)
  }
}
