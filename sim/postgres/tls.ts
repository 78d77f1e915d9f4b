/**
 * The embedded PostgreSQL's TLS certificate, generated once per data directory with `openssl`
 * (Node's crypto makes keys but not X.509 certificates). Heroku Postgres requires TLS, so apps
 * written for it connect with `sslmode=require` or `ssl: { rejectUnauthorized: false }`; the server
 * accepts those and plain connections alike. Without openssl the server runs plain only, and says so.
 */
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { chmod, chown, rm } from "node:fs/promises"
import { join } from "node:path"
import type { Ids } from "./access.ts"

/** Server flags enabling TLS, creating the certificate on first use; null when it cannot be made. */
export const tlsFlags = async (dataDir: string, owner: Ids | null): Promise<string[] | null> => {
  const cert = join(dataDir, "server.crt")
  const key = join(dataDir, "server.key")
  if (!existsSync(cert) || !existsSync(key)) {
    try {
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-days",
          "3650",
          "-subj",
          "/CN=localhost",
          "-addext",
          "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout",
          key,
          "-out",
          cert,
        ],
        { stdio: "ignore" },
      )
    } catch {
      await rm(cert, { force: true })
      await rm(key, { force: true })
      return null
    }
    await chmod(key, 0o600)
    if (owner !== null) {
      await chown(key, owner.uid, owner.gid)
      await chown(cert, owner.uid, owner.gid)
    }
  }
  return ["-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"]
}
