/**
 * `_reconcile_reference_data`: the applied version and content digest per table, plus one dataset
 * row (written last in the apply transaction) with the dataset's version and overall digest.
 */
import * as Effect from "effect/Effect"
import type pg from "pg"
import type { PluginError } from "../../engine/index.ts"
import { query } from "../../services/database/connect.ts"

/** The name of the dataset's own row. */
export const datasetRow = "(dataset)"

export interface LedgerEntry {
  readonly name: string
  readonly version: string
  readonly digest: string
}

export const ensureLedger = (c: pg.Client) =>
  query(
    c,
    `CREATE TABLE IF NOT EXISTS "_reconcile_reference_data" (
       name text PRIMARY KEY, version text NOT NULL, digest text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now())`,
  )

export const writeLedger = (c: pg.Client, name: string, version: string, digest: string) =>
  query(
    c,
    `INSERT INTO "_reconcile_reference_data" (name, version, digest) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET version = EXCLUDED.version, digest = EXCLUDED.digest, applied_at = now()
     WHERE ("_reconcile_reference_data".version, "_reconcile_reference_data".digest) IS DISTINCT FROM (EXCLUDED.version, EXCLUDED.digest)`,
    [name, version, digest],
  )

/** Every ledger row; none when the ledger does not exist yet. */
export const readLedger = (c: pg.Client): Effect.Effect<ReadonlyArray<LedgerEntry>, PluginError> =>
  query<{ t: string | null }>(c, `SELECT to_regclass('"_reconcile_reference_data"')::text AS t`).pipe(
    Effect.flatMap((r) =>
      r.rows[0]?.t == null
        ? Effect.succeed([])
        : query<LedgerEntry>(
            c,
            `SELECT name, version, digest FROM "_reconcile_reference_data" ORDER BY name`,
          ).pipe(Effect.map((x) => x.rows)),
    ),
  )
