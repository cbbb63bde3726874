/** The thread's dedup memory stays bounded in count and in serialized bytes (its state must fit one payload). */
import { SEEN_BYTES_LIMIT, SEEN_IDS_LIMIT, remember } from '../../workflows/thread';
import type { ThreadState } from '../../workflows/definitions';

const fresh = (): ThreadState => ({ threadId: 't', seq: 0, current: null, seen: {}, seenOrder: [], seenBytes: 0, accepted: 0, duplicates: 0 });

test('at most SEEN_IDS_LIMIT ids, oldest forgotten first', () => {
  const s = fresh();
  for (let i = 0; i < SEEN_IDS_LIMIT + 10; i++) remember(s, `m:${i}`, 'c-1');
  expect(s.seenOrder).toHaveLength(SEEN_IDS_LIMIT);
  expect(s.seen['m:0']).toBeUndefined();
  expect(s.seen[`m:${SEEN_IDS_LIMIT + 9}`]).toBe('c-1');
});

test('ids full of escaped characters cannot push the memory past its byte limit', () => {
  const s = fresh();
  for (let i = 0; i < SEEN_IDS_LIMIT; i++) remember(s, `m:${'\u0001'.repeat(120)}${i}`, `${'\u0002'.repeat(120)}-1`);
  const bytes = Buffer.byteLength(JSON.stringify({ seen: s.seen, seenOrder: s.seenOrder }));
  expect(bytes).toBeLessThanOrEqual(SEEN_BYTES_LIMIT * 1.05);
  expect(s.seenBytes).toBeLessThanOrEqual(SEEN_BYTES_LIMIT);
});
