/**
 * What `reconcile rollback` needs from backups: the database as it was for the release rolled back
 * to is the first verified backup captured after that release was created, since every apply backs
 * up before the migrations that follow it. Read from the Data API's transfer list.
 */
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { HerokuDataApi } from "../../services/heroku/DataApi.ts"
import { HerokuApi } from "../../services/heroku/HerokuApi.ts"
import { RollbackBackups } from "../../services/heroku/RollbackBackups.ts"
import { backupName } from "./heroku.ts"

const Listed = Schema.Struct({
  num: Schema.Number,
  succeeded: Schema.Boolean,
  to_type: Schema.String,
  from_name: Schema.optional(Schema.NullOr(Schema.String)),
  created_at: Schema.String,
  processed_bytes: Schema.Number,
})
const ReleaseAt = Schema.Struct({ version: Schema.Number, created_at: Schema.String })

/** The first verified backup created after `since` (an ISO time), if any. Pure. */
export const firstBackupAfter = (transfers: ReadonlyArray<typeof Listed.Type>, since: string) =>
  transfers
    .filter((t) => t.to_type === "gof3r" && t.succeeded && t.processed_bytes > 0 && t.created_at > since)
    .sort((a, b) => (a.created_at < b.created_at ? -1 : 1))[0]

/** RollbackBackups over the Platform and Data APIs. */
export const rollbackBackupsLayer = Layer.effect(
  RollbackBackups,
  Effect.gen(function* () {
    const api = yield* HerokuApi
    const data = yield* HerokuDataApi
    return {
      restoreCommand: (app: string, release: number) =>
        Effect.gen(function* () {
          const target = yield* api.get(`/apps/${encodeURIComponent(app)}/releases/${release}`, ReleaseAt)
          const transfers = yield* data.list(
            `/client/v11/apps/${encodeURIComponent(app)}/transfers`,
            Listed,
            {
              field: "num",
            },
          )
          const backup = firstBackupAfter(transfers, target.created_at)
          if (backup === undefined) return Option.none()
          const name = backupName(backup.num)
          const attachment = backup.from_name ?? "DATABASE"
          const url = attachment.endsWith("_URL") ? attachment : `${attachment}_URL`
          return Option.some(`heroku pg:backups:restore ${name} ${url} --app ${app} --confirm ${app}`)
        }),
    }
  }),
)
