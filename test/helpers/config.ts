/**
 * A configuration a test can change between steps, without the SQLite store: each `set` makes a
 * new snapshot with the next revision, as the store does on every accepted change.
 */
import type { ConfigReader, ConfigSnapshot } from '../../config/types';

/** A {@link ConfigReader} whose snapshot tests replace with `set`. */
export class TestConfig implements ConfigReader {
  private current: ConfigSnapshot = { revision: 0, triggers: [], categoryOrder: [], schedules: [], webhooks: [] };

  snapshot(): ConfigSnapshot {
    return this.current;
  }

  /** Replaces the given parts; the revision grows by one. */
  set(parts: Partial<Omit<ConfigSnapshot, 'revision'>>): ConfigSnapshot {
    this.current = { ...this.current, ...parts, revision: this.current.revision + 1 };
    return this.current;
  }
}
