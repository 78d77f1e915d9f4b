/**
 * vitest globalSetup: ONE Postgres server for the whole test run. With DATABASE_URL set, that URL
 * is the admin URL; otherwise an embedded server starts on a temp data directory and is stopped
 * (and the directory removed) at teardown. Test files read the URL with `postgresAdminUrl()`.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { startEmbeddedPostgres } from "../../sim/postgres/embedded.ts"

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL
  if (external !== undefined && external !== "") {
    project.provide("pgAdminUrl", external)
    return async () => {}
  }
  const base = await mkdtemp(join(tmpdir(), "reconcile-test-pg-"))
  await chmod(base, 0o755)
  const server = await startEmbeddedPostgres({
    dataDir: join(base, "data"),
    ephemeral: true,
    // the chaos suite runs 50 full applies at once, each with its own simulator and databases
    maxConnections: 400,
  })
  project.provide("pgAdminUrl", server.adminUrl)
  return async () => {
    await server.stop()
    await rm(base, { recursive: true, force: true })
  }
}
