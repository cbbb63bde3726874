/**
 * Where Parley's worker and clients connect: an existing cluster described by the standard
 * Temporal environment configuration (`@temporalio/envconfig`), or — when none is configured —
 * the embedded dev server the caller starts (see `devServer.ts`).
 */
import { Connection, type TLSConfig } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';

/** Connection settings for an existing Temporal cluster. */
export interface ConnectionConfig {
  /** `host:port` of the frontend gRPC service. */
  address: string;
  namespace: string;
  /** TLS settings; `true` = TLS with system roots (implied by an API key), `false` = plaintext. */
  tls?: TLSConfig | boolean;
  apiKey?: string;
  /** Extra gRPC headers (`TEMPORAL_GRPC_META_*` / profile `grpc_meta`). */
  metadata?: Record<string, string>;
}

/** Both kinds of connection to one cluster: the worker's native one and the client's. */
export interface Connections {
  /** For `Worker.create({ connection })`. */
  nativeConnection: NativeConnection;
  /** For `new Client({ connection, namespace })`. */
  connection: Connection;
  namespace: string;
  /** Closes both connections. */
  close(): Promise<void>;
}

/**
 * Reads the Temporal environment configuration the way the Temporal CLI and SDKs do, via
 * `loadClientConnectConfig` from `@temporalio/envconfig`: the TOML profile file
 * (`TEMPORAL_CONFIG_FILE`, default `~/.config/temporalio/temporal.toml`, profile `TEMPORAL_PROFILE`
 * or "default"), overridden by `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, `TEMPORAL_API_KEY`,
 * `TEMPORAL_TLS`, `TEMPORAL_TLS_CLIENT_CERT_PATH|_DATA`, `TEMPORAL_TLS_CLIENT_KEY_PATH|_DATA`,
 * `TEMPORAL_TLS_SERVER_CA_CERT_PATH|_DATA`, `TEMPORAL_TLS_SERVER_NAME`, `TEMPORAL_GRPC_META_*`.
 *
 * Returns `undefined` — meaning "start the embedded dev server" — unless an existing cluster was
 * asked for explicitly: `TEMPORAL_ADDRESS` is set, or `TEMPORAL_PROFILE` / `TEMPORAL_CONFIG_FILE`
 * is set and the selected profile has an address. (A default profile file alone does not switch
 * Parley away from its embedded server.) Namespace defaults to "default".
 *
 * @param env environment to read (default `process.env`); for tests.
 */
export function loadConnectionConfig(env: NodeJS.ProcessEnv = process.env): ConnectionConfig | undefined {
  const explicitProfile = Boolean(env.TEMPORAL_PROFILE || env.TEMPORAL_CONFIG_FILE);
  if (!env.TEMPORAL_ADDRESS && !explicitProfile) return undefined;

  const overrideEnvVars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) overrideEnvVars[k] = v;

  const { connectionOptions, namespace } = loadClientConnectConfig({ overrideEnvVars });
  const address = connectionOptions.address;
  if (!address) return undefined;

  const config: ConnectionConfig = { address, namespace: namespace || 'default' };
  if (connectionOptions.tls !== undefined && connectionOptions.tls !== null) config.tls = connectionOptions.tls;
  if (connectionOptions.apiKey !== undefined) config.apiKey = connectionOptions.apiKey;
  const metadata = connectionOptions.metadata;
  if (metadata && Object.keys(metadata).length > 0) config.metadata = metadata as Record<string, string>;
  return config;
}

/**
 * Opens a worker `NativeConnection` and a client `Connection` to the cluster in `config`
 * (e.g. from {@link loadConnectionConfig}, or `{ address, namespace }` of a started dev server).
 * If the second connection fails, the first is closed before the error propagates.
 */
export async function connectTo(config: ConnectionConfig): Promise<Connections> {
  const options = {
    address: config.address,
    tls: config.tls,
    apiKey: config.apiKey,
    metadata: config.metadata,
  };
  const nativeConnection = await NativeConnection.connect(options);
  let connection: Connection;
  try {
    connection = await Connection.connect(options);
  } catch (err) {
    await nativeConnection.close().catch(() => undefined);
    throw err;
  }
  return {
    nativeConnection,
    connection,
    namespace: config.namespace,
    async close() {
      await Promise.allSettled([connection.close(), nativeConnection.close()]);
    },
  };
}
