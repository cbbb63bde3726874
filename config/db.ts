/**
 * The SQLite file behind the configuration store (`<PARLEY_DATA_DIR>/config.sqlite`): opening it
 * (WAL journal, so readers never wait for a writer and another process sees committed changes),
 * the schema, the `meta` key/value row helpers and the write transaction every change goes through.
 */
import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';

/** An open configuration database (better-sqlite3 handle). */
export type Db = Database.Database;

/**
 * Schema version written to `PRAGMA user_version`. 2: messaging triggers (two new tables; a
 * version 1 file gets them when opened, nothing else changes).
 */
export const SCHEMA_VERSION = 2;

/** How long a writer waits for another process's write lock before failing with SQLITE_BUSY (ms). */
const BUSY_TIMEOUT_MS = 5_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value                                   -- no type: integers stay integers, JSON stays text
) WITHOUT ROWID;

-- Current ticket triggers. json is the trigger exactly as served (Zendesk shape, with id,
-- position, active and revision filled in); the other columns are copies for queries.
CREATE TABLE IF NOT EXISTS triggers (
  id         TEXT PRIMARY KEY,            -- String(trigger.id)
  json       TEXT NOT NULL,
  active     INTEGER NOT NULL,
  category   TEXT,                        -- String(category_id), NULL without category
  position   INTEGER NOT NULL,
  revision   INTEGER NOT NULL,            -- the trigger's own revision (1 on create)
  changed_in INTEGER NOT NULL             -- global revision of its last change
);
CREATE INDEX IF NOT EXISTS triggers_changed_in ON triggers (changed_in);

-- Every version of every trigger: json is the trigger after the change, NULL when deleted.
-- The version before a change is the previous row of the same trigger.
CREATE TABLE IF NOT EXISTS trigger_versions (
  trigger_id       TEXT NOT NULL,
  revision         INTEGER NOT NULL,      -- global revision of the change
  trigger_revision INTEGER NOT NULL,
  json             TEXT,
  PRIMARY KEY (trigger_id, revision)
);                                        -- rowid: order of the changes within a revision
CREATE INDEX IF NOT EXISTS trigger_versions_revision ON trigger_versions (revision);

-- Current messaging triggers (DOMAIN.md §4), a kind of their own: ids, positions and revisions are
-- separate from ticket triggers' (messaging trigger 1 and ticket trigger 1 are different things).
-- json is the trigger as served (id, position, active and revision filled in).
CREATE TABLE IF NOT EXISTS messaging_triggers (
  id         TEXT PRIMARY KEY,            -- String(trigger.id)
  json       TEXT NOT NULL,
  active     INTEGER NOT NULL,
  position   INTEGER NOT NULL,
  revision   INTEGER NOT NULL,            -- the trigger's own revision (1 on create)
  changed_in INTEGER NOT NULL             -- global revision of its last change
);
CREATE INDEX IF NOT EXISTS messaging_triggers_changed_in ON messaging_triggers (changed_in);

-- Every version of every messaging trigger, as trigger_versions is for ticket triggers.
CREATE TABLE IF NOT EXISTS messaging_trigger_versions (
  trigger_id       TEXT NOT NULL,
  revision         INTEGER NOT NULL,
  trigger_revision INTEGER NOT NULL,
  json             TEXT,
  PRIMARY KEY (trigger_id, revision)
);
CREATE INDEX IF NOT EXISTS messaging_trigger_versions_revision ON messaging_trigger_versions (revision);

-- One row per accepted change: who, when, what.
CREATE TABLE IF NOT EXISTS revisions (
  revision    INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,              -- ISO 8601, UTC
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  trigger_ids TEXT NOT NULL,              -- JSON array of the triggers it changed (messaging ones for messaging_trigger_* actions)
  summary     TEXT NOT NULL,
  detail      TEXT                        -- JSON {before, after} of a schedule, webhook or category change
);

CREATE TABLE IF NOT EXISTS schedules (
  id   TEXT PRIMARY KEY,
  seq  INTEGER NOT NULL,                  -- creation order
  json TEXT NOT NULL                      -- the input as given (Zendesk or weekly form), id filled in
);

CREATE TABLE IF NOT EXISTS webhooks (
  id             TEXT PRIMARY KEY,
  seq            INTEGER NOT NULL,
  name           TEXT NOT NULL,
  endpoint       TEXT NOT NULL,
  signing_secret TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

INSERT OR IGNORE INTO meta (key, value) VALUES ('revision', 0);
`;

/**
 * Opens (creating when absent) the configuration database at `file` (`:memory:` for a private
 * in-memory one; a file is made mode 0600) in WAL mode with full fsync on commit, and brings the
 * schema up to date.
 * @throws Error when the file was written by a newer Parley (schema version above {@link SCHEMA_VERSION}).
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    // Webhook signing secrets live here: owner only (SQLite gives its -wal/-shm files the same mode).
    if (file !== ':memory:' && file !== '') chmodSync(file, 0o600);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${file}: configuration schema ${version} is newer than this Parley's (${SCHEMA_VERSION})`);
    db.exec(SCHEMA);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** What every write operation needs: the database and the clock that stamps revisions. */
export interface StoreContext {
  db: Db;
  now: () => Date;
}

/** Reads a `meta` value (undefined when absent). */
export function getMeta(db: Db, key: string): unknown {
  return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
}

/** Writes a `meta` value (within the caller's transaction). */
export function setMeta(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/** Decimal ids up to 15 digits count as numeric (exact in a double); other ids are opaque text. */
export const numericId = (id: string): number | null => (/^\d{1,15}$/.test(id) ? Number(id) : null);

/** Kinds of things the store assigns ids to. */
export type IdKind = 'trigger' | 'messaging_trigger' | 'schedule' | 'webhook';

/** The next id the store assigns for `kind`: above every numeric id of that kind ever written (never reused). */
export function peekNextId(db: Db, kind: IdKind): number {
  return Number(getMeta(db, `next_${kind}_id`) ?? 1);
}

/** Records that `ids` were written, so that assigned ids stay above them (within the caller's transaction). */
export function noteIds(db: Db, kind: IdKind, ids: Iterable<string>): void {
  const before = peekNextId(db, kind);
  let next = before;
  for (const id of ids) {
    const n = numericId(id);
    if (n !== null && n >= next) next = n + 1;
  }
  if (next !== before) setMeta(db, `next_${kind}_id`, next);
}

/**
 * Runs `fn` in one IMMEDIATE transaction (the write lock is taken first, so concurrent writers in
 * other processes queue instead of failing half-way). If `fn` throws, nothing it wrote is kept.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Runs `fn` in one read transaction: every query sees the same committed state. */
export function readTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).deferred();
}
