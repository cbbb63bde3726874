/**
 * A small HTTP client of the admin API (`/admin`, server/admin.ts), used by the CLI's `triggers`
 * and `schedules` commands. Base URL `PARLEY_URL` (default `http://127.0.0.1:${PARLEY_PORT:-8080}`); token
 * `PARLEY_ADMIN_TOKEN`, else the `admin-token` file `npm start` writes into the data folder.
 */
import { readAdminToken } from '../config/adminToken';

/** A refused admin request: HTTP status, the error body and, for 400s, one line per problem. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: { error?: string; message?: string; issues?: { path: string; message: string; title?: string | null }[] },
  ) {
    super(body.message ?? `HTTP ${status}`);
    this.name = 'AdminApiError';
  }

  /** Every problem as `"title" $.path: message`, or the message when there are no issues. */
  problemLines(): string[] {
    if (!this.body.issues?.length) return [`${this.body.error ?? `HTTP ${this.status}`}: ${this.message}`];
    return this.body.issues.map((i) => `${i.title ? `"${i.title}" ` : ''}${i.path}: ${i.message}`);
  }
}

/** Where the admin API is and how to authenticate. */
export interface AdminClientOptions {
  baseUrl: string;
  token: string;
  /** Recorded as the actor of changes (`X-Parley-Actor`). */
  actor: string;
}

/**
 * Options from the environment: `PARLEY_URL`, `PARLEY_ADMIN_TOKEN` or `<dataDir>/admin-token`.
 * @throws Error when no token can be found, saying where it was looked for.
 */
export function adminClientOptionsFromEnv(env: NodeJS.ProcessEnv, dataDir: string, actor: string): AdminClientOptions {
  const token = env.PARLEY_ADMIN_TOKEN || readAdminToken(dataDir);
  if (!token) {
    throw new Error(
      `no admin token: set PARLEY_ADMIN_TOKEN, or PARLEY_DATA_DIR to the data folder of the running Parley (looked in ${dataDir}/admin-token; npm start writes it there)`,
    );
  }
  return { baseUrl: parleyUrl(env), token, actor };
}

/** Base URL of the HTTP API: `PARLEY_URL`, else `http://127.0.0.1:${PARLEY_PORT:-8080}` (as `npm start` listens). */
export function parleyUrl(env: NodeJS.ProcessEnv): string {
  return (env.PARLEY_URL ?? `http://127.0.0.1:${env.PARLEY_PORT ?? '8080'}`).replace(/\/+$/, '');
}

/** Calls the admin API and returns parsed JSON answers. */
export class AdminClient {
  constructor(private readonly options: AdminClientOptions) {}

  /**
   * `method path` with an optional JSON body (a string is sent as is: an import file's text).
   * @throws AdminApiError for an error status; Error when the server cannot be reached.
   */
  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const url = `${this.options.baseUrl}/admin${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, 'x-parley-actor': this.options.actor };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    } catch (err) {
      throw new Error(`cannot reach Parley at ${this.options.baseUrl} (${(err as Error).cause ?? (err as Error).message}). Is \`npm start\` running? Set PARLEY_URL otherwise.`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = { message: text.slice(0, 500) };
    }
    if (!res.ok) throw new AdminApiError(res.status, (json ?? {}) as AdminApiError['body']);
    return json as T;
  }
}
