/**
 * The test run's Postgres (started once by `postgresGlobalSetup.ts`): `postgresAdminUrl()` returns
 * a superuser URL on it, to give to `startSimulator({ postgres: { adminUrl } })` or to `pg`.
 */
import { inject } from "vitest"

declare module "vitest" {
  export interface ProvidedContext {
    /** Admin (superuser) URL of the test run's Postgres server. */
    pgAdminUrl: string
  }
}

/** The admin URL of the one Postgres server shared by the whole test run. */
export const postgresAdminUrl = (): string => {
  const url = inject("pgAdminUrl")
  if (typeof url !== "string" || url === "") {
    throw new Error("No test Postgres: add test/support/postgresGlobalSetup.ts to vitest globalSetup")
  }
  return url
}
