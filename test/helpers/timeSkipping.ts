/**
 * Time-skipping test environment backed by the project-local Java test server (installed by
 * `npm install`), so nothing is downloaded at test time.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { resolveTemporalTestServerPath } from '../../worker/temporalPaths';

/** Starts a time-skipping `TestWorkflowEnvironment`; call `teardown()` when done. */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: resolveTemporalTestServerPath() } },
  });
}
