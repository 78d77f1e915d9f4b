/**
 * The seam between `reconcile rollback` (release plugin) and backups (backup plugin): where the
 * backup taken before a release's migrations is recorded. bin/ provides the backup plugin's layer.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { PluginError } from "../../engine/index.ts"

export class RollbackBackups extends Context.Tag("reconcile/RollbackBackups")<
  RollbackBackups,
  {
    /** The command that restores the backup taken before `release`'s migrations, if one is recorded. */
    readonly restoreCommand: (
      app: string,
      release: number,
    ) => Effect.Effect<Option.Option<string>, PluginError>
  }
>() {}
