/**
 * Embedded Temporal dev server: spawns `temporal server start-dev` from the project-local CLI
 * (see `temporalPaths.ts`), with Parley's search attributes and the dynamic config that
 * update-with-start needs, and waits until its frontend answers.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { PARLEY_SEARCH_ATTRIBUTES } from './searchAttributes';
import { resolveTemporalCliPath } from './temporalPaths';

/** Options for {@link startDevServer}. */
export interface DevServerOptions {
  /** SQLite file for persistent state (WAL journal). Omitted: in-memory, lost on exit. */
  dbFilename?: string;
  /** Frontend gRPC port. Omitted: a free port is picked. */
  port?: number;
  /** Web UI port. Omitted: a free port is picked (ignored when `headless`). */
  uiPort?: number;
  /** Disable the Web UI. */
  headless?: boolean;
  /** Namespace to use; created at launch if it is not `default` ("default" always exists). */
  namespace?: string;
  /** Receives the server's stdout/stderr lines (default: dropped; the stderr tail is kept for errors). */
  log?: (line: string) => void;
  /** How long to wait for the frontend to answer (default 30 s). */
  startTimeoutMs?: number;
}

/** A running dev server started by {@link startDevServer}. */
export interface DevServer {
  /** `host:port` of the frontend gRPC service. */
  address: string;
  /** Web UI URL, unless headless. */
  uiUrl?: string;
  namespace: string;
  /** OS process id of the server. */
  pid: number;
  /** SIGTERM, wait for exit, SIGKILL after 5 s. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const STDERR_TAIL_LINES = 40;
const STOP_GRACE_MS = 5_000;

/** Dynamic config the Parley workflows rely on (update-with-start, updates). */
const DYNAMIC_CONFIG = [
  'frontend.enableExecuteMultiOperation=true',
  'frontend.enableUpdateWorkflowExecution=true',
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted=true',
];

/** Asks the OS for a free TCP port on 127.0.0.1 (there is a small race until the server binds it). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Starts `temporal server start-dev` bound to 127.0.0.1 and resolves once its frontend answers
 * `GetSystemInfo` and the namespace is described (at most `startTimeoutMs`, default 30 s).
 * Rejects with the server's stderr tail if it exits before that. The server is SIGKILLed if this
 * Node process exits without calling `stop()`.
 */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const cli = resolveTemporalCliPath();
  const namespace = opts.namespace ?? 'default';
  const port = opts.port ?? (await findFreePort());
  const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await findFreePort()));
  const log = opts.log ?? (() => undefined);
  const timeoutMs = opts.startTimeoutMs ?? 30_000;

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(port), '--log-level', 'warn'];
  args.push('--namespace', 'default');
  if (namespace !== 'default') args.push('--namespace', namespace);
  if (uiPort === undefined) {
    args.push('--headless');
  } else {
    // No internet here: don't let the UI try to fetch its newsfeed.
    args.push('--ui-port', String(uiPort), '--ui-disable-news-fetch');
  }
  if (opts.dbFilename) {
    const db = path.resolve(opts.dbFilename);
    mkdirSync(path.dirname(db), { recursive: true });
    args.push('--db-filename', db, '--sqlite-pragma', 'journal_mode=WAL');
  }
  for (const { name, type } of PARLEY_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=${type}`);
  for (const kv of DYNAMIC_CONFIG) args.push('--dynamic-config-value', kv);

  // Own process group: a terminal Ctrl-C reaches only Parley, which drains its worker first and
  // then stops the server (the exit hook below still kills it if Parley dies without stop()).
  const child = spawn(cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stderrTail: string[] = [];
  const lineReader = (keepTail: boolean) => {
    let buf = '';
    return (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        if (keepTail) {
          stderrTail.push(line);
          if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
        }
        log(line);
      }
    };
  };
  child.stdout.on('data', lineReader(false));
  child.stderr.on('data', lineReader(true));

  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
    child.once('error', (err) => {
      spawnError = err;
      resolve();
    });
  });
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener('exit', killOnExit);
      if (exited || spawnError) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    })();
    return stopping;
  };

  const address = `${HOST}:${port}`;
  const deathError = () =>
    new Error(
      `temporal server start-dev ${
        spawnError ? `failed to start: ${spawnError.message}` : `exited early (code ${exited?.code}, signal ${exited?.signal})`
      }\n${stderrTail.join('\n')}`,
    );

  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (exited || spawnError) {
      await stop();
      throw deathError();
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `temporal dev server at ${address} did not answer within ${timeoutMs} ms: ${String(lastError)}\n${stderrTail.join('\n')}`,
      );
    }
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.workflowService.describeNamespace({ namespace });
      break;
    } catch (err) {
      lastError = err;
      await Promise.race([sleep(100), exitPromise]);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }

  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    namespace,
    pid: child.pid ?? -1,
    stop,
  };
}
