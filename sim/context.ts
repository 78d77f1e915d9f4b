/** Everything a resource handler needs: the state, the services behind it, and the clock. */
import type { DynoRunner } from "./dyno.ts"
import type { Recorder } from "./observe/recorder.ts"
import type { DatabaseProvisioner } from "./postgres/provisioner.ts"
import type { State } from "./state/model.ts"
import type { Store } from "./state/store.ts"
import type { Tasks } from "./tasks.ts"

/** A log session created by POST /apps/:app/log-sessions, read once through its `logplex_url`. */
export interface LogSession {
  readonly appName: string
  readonly lines: number
  readonly tail: boolean
  /** Only this dyno (`web.1`) or process type (`web`). */
  readonly dyno: string | null
  /** Only `app` or `heroku` lines. */
  readonly source: string | null
  readonly expires: number
}

export interface SimContext {
  readonly store: Store
  readonly state: State
  readonly recorder: Recorder
  readonly tasks: Tasks
  readonly dynoRunner: DynoRunner
  /** Open log sessions by id (in memory: they are short-lived, as on Heroku). */
  readonly logSessions: Map<string, LogSession>
  /** Null when the simulator has no Postgres server: Postgres add-ons are refused. */
  readonly databases: DatabaseProvisioner | null
  /** The redis-server behind heroku-redis add-ons; null when none is installed or asked for. */
  readonly redis: { readonly url: string } | null
  /** Tells the user something they should know (e.g. an add-on that nothing backs). */
  readonly notice: (message: string) => void
  readonly dataDir: string
  readonly provisionDelayMs: number
  /** How long a custom domain's DNS check and ACM certificate take. */
  readonly acmDelayMs: number
  /** The simulator's own base URL. */
  readonly baseUrl: () => string
  /** An absolute, signed URL for a blob or stream path (`/blobs/...`, `/streams/...`). */
  readonly blobUrl: (path: string) => string
  readonly now: () => string
}
