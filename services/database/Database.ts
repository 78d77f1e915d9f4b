/**
 * The Database service: Postgres sessions over `pg` for the plugins, taken from the context
 * (`yield* Database`) rather than imported, so the edge decides how a run reaches Postgres. The live
 * layer is connect.ts: TLS as Heroku Postgres needs it, the policy's lock and statement timeouts
 * set on each session, errors that name the host and never the password, and a client closed with
 * its scope (its server session ended too when the scope is interrupted).
 */
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type pg from "pg"
import type { PluginError } from "../../engine/index.ts"
import { connect } from "./connect.ts"

export interface DatabaseShape {
  /**
   * A session on `url` with `lock_timeout` and `statement_timeout` set, open for the scope;
   * `applicationName` shows in `pg_stat_activity` (cut to 63 characters).
   */
  readonly connect: (
    url: Redacted.Redacted<string>,
    timeouts: {
      readonly lockTimeout: Duration.Duration
      readonly statementTimeout: Duration.Duration
    },
    applicationName?: string,
  ) => Effect.Effect<pg.Client, PluginError, Scope.Scope>
}

export class Database extends Context.Tag("reconcile/Database")<Database, DatabaseShape>() {}

/** Real Postgres over `pg`. */
export const layer: Layer.Layer<Database> = Layer.succeed(Database, { connect })
