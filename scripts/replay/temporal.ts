/**
 * Where the replay's Temporal comes from: a given address (tests), the standard Temporal
 * environment configuration (`TEMPORAL_ADDRESS` & co., read by `worker/connection.ts`), or an
 * embedded in-memory, headless dev server.
 */
import { Client } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { connectTo, loadConnectionConfig, type ConnectionConfig } from '../../worker/connection';
import { startDevServer, type DevServer } from '../../worker/devServer';

/** Connections the replay uses; `close()` also stops the embedded server when there is one. */
export interface TemporalEnv {
  client: Client;
  native: NativeConnection;
  address: string;
  namespace: string;
  /** true when the replay started its own dev server. */
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens Temporal for the replay.
 * @param opts.address connect here (namespace `opts.namespace`, default "default") and start no server.
 * @param opts.log receives progress lines.
 */
export async function openTemporal(opts: { address?: string; namespace?: string; log?: (line: string) => void } = {}): Promise<TemporalEnv> {
  const log = opts.log ?? (() => undefined);
  let config: ConnectionConfig | undefined = opts.address ? { address: opts.address, namespace: opts.namespace ?? 'default' } : loadConnectionConfig();
  let server: DevServer | undefined;
  if (config) {
    log(`using Temporal at ${config.address} (namespace ${config.namespace})`);
  } else {
    const t0 = Date.now();
    server = await startDevServer({ headless: true });
    config = { address: server.address, namespace: server.namespace };
    log(`started an embedded in-memory Temporal dev server at ${server.address} in ${Date.now() - t0} ms`);
  }
  try {
    const connections = await connectTo(config);
    return {
      client: new Client({ connection: connections.connection, namespace: connections.namespace }),
      native: connections.nativeConnection,
      address: config.address,
      namespace: connections.namespace,
      embedded: server !== undefined,
      async close() {
        await connections.close();
        await server?.stop();
      },
    };
  } catch (err) {
    await server?.stop();
    throw err;
  }
}
