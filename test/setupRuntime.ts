/** Quiets the Temporal SDK's own logs in tests (warnings and errors only). Runs before each test file. */
import { DefaultLogger, Runtime } from '@temporalio/worker';

try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // Already installed in this process (test files share it with --runInBand).
}
