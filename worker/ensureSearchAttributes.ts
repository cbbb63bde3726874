/**
 * Registers Parley's search attributes on an existing cluster (one not started by us with
 * `--search-attribute` flags). Not workflow-safe: imports `@temporalio/client`.
 */
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SA } from './searchAttributes';

/** gRPC status code ALREADY_EXISTS. */
const GRPC_ALREADY_EXISTS = 6;

/**
 * Makes sure every Parley search attribute exists in `namespace`, adding the missing ones through
 * `connection.operatorService.addSearchAttributes`. Attributes that already exist (including a
 * concurrent registration's "already exists" error) are fine; one that exists with a different
 * type throws, since workflows would fail to upsert it.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known: Record<string, unknown> = { ...existing.systemAttributes, ...existing.customAttributes };

  const missing: Record<string, number> = {};
  for (const key of Object.values(SA)) {
    const wanted = encodeSearchAttributeIndexedValueType(key.type);
    if (wanted === undefined) throw new Error(`Unknown search attribute type ${key.type}`);
    const have = known[key.name];
    if (have === undefined) {
      missing[key.name] = wanted;
    } else if (have !== wanted) {
      throw new Error(
        `Search attribute ${key.name} already exists in namespace ${namespace} with a different type ` +
          `(${String(have)}, expected ${key.type} = ${wanted}).`,
      );
    }
  }
  if (Object.keys(missing).length === 0) return;

  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS) return;
    throw err;
  }
}
