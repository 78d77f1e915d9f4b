/**
 * Creates a real database and login role per heroku-postgresql add-on on an admin connection, and
 * drops them when the add-on goes away. The add-on's URL is `postgres://role:password@host:port/db`.
 * The role is an ordinary one (no superuser, CREATEDB or CREATEROLE): it owns its database only.
 */
import { randomBytes } from "node:crypto"
import pg from "pg"

export interface ProvisionedDatabase {
  readonly url: string
  readonly name: string
  readonly role: string
}

export interface DatabaseProvisioner {
  readonly create: () => Promise<ProvisionedDatabase>
  readonly drop: (db: { name: string; role: string }) => Promise<void>
}

const withAdmin = async <A>(adminUrl: string, f: (c: pg.Client) => Promise<A>): Promise<A> => {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end()
  }
}

/** A provisioner on the Postgres server behind `adminUrl` (a superuser or CREATEDB+CREATEROLE). */
export const postgresProvisioner = (adminUrl: string): DatabaseProvisioner => {
  const admin = new URL(adminUrl)
  return {
    create: async () => {
      const suffix = randomBytes(6).toString("hex")
      const name = `addon_${suffix}`
      const role = `u${suffix}`
      const password = randomBytes(18).toString("hex")
      await withAdmin(adminUrl, async (c) => {
        await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`)
        await c.query(`CREATE DATABASE "${name}" OWNER "${role}"`)
        // one add-on's role cannot open another add-on's database (nor the admin one)
        await c.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`)
      })
      const host = admin.hostname === "localhost" ? "127.0.0.1" : admin.hostname
      const url = `postgres://${role}:${password}@${host}:${admin.port || "5432"}/${name}`
      return { url, name, role }
    },
    drop: async ({ name, role }) => {
      await withAdmin(adminUrl, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
        await c.query(`DROP ROLE IF EXISTS "${role}"`)
      })
    },
  }
}
