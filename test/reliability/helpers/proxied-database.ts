import net from "node:net";
import { type DatabaseHandle, openPostgres } from "../../../src/db/connect.js";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-database.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

export interface ProxiedDatabase {
  /** The test's own schema, reached directly: for the test's checks, which must not be cut. */
  direct: TestDatabase;
  /** The same schema through the proxy: what the bot under test uses. */
  viaProxy: DatabaseHandle;
  /** DATABASE_URL through the proxy, for a bot in a child process. */
  connectionString: string;
  proxy: TcpProxy;
  close(): Promise<void>;
}

/** A fresh test schema on PostgreSQL that the bot reaches through a proxy the test can cut (a database outage). */
export async function createProxiedDatabase(): Promise<ProxiedDatabase> {
  const direct = await createTestDatabase();
  if (!direct.connectionString) throw new Error("createProxiedDatabase needs TEST_DATABASE_URL");
  const target = new URL(direct.connectionString);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(proxy.port);
  const viaProxy = openPostgres({ connectionString: url.toString() });
  return {
    direct,
    viaProxy,
    connectionString: url.toString(),
    proxy,
    async close() {
      await proxy.restore();
      await viaProxy.close();
      await proxy.close();
      await direct.close();
    },
  };
}

/** A TCP port free on loopback right now, for a bot's PORT. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
