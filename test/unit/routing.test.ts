/** Unit and property tests of the routing policy (domain/routing.ts). */
import fc from 'fast-check';
import type { RoutedTicketUpdate } from '../../domain/conversation';
import * as routing from '../../domain/routing';

const ticket = (id: string, over: Partial<RoutedTicketUpdate> = {}): RoutedTicketUpdate => ({
  ticketId: id,
  workflowId: `conversation:${id}`,
  version: 1,
  status: 'new',
  priority: 'normal',
  groupId: 'support',
  routingChannel: 'messaging',
  sessionState: 'active',
  tags: [],
  assigneeId: null,
  eligibleSince: '2025-01-01T00:00:00.000Z',
  ...over,
});

const agent = (id: string, over: Partial<routing.AgentInput> = {}) =>
  routing.AgentInputSchema.parse({ id, status: 'online', capacity: { messaging: 2, email: 2 }, ...over });

test('queue order: priority first, then oldest eligible', () => {
  const s = routing.emptyRoutingState();
  routing.applyTicketUpdate(s, ticket('late-urgent', { priority: 'urgent', eligibleSince: '2025-01-02T00:00:00.000Z' }));
  routing.applyTicketUpdate(s, ticket('old-normal', { eligibleSince: '2025-01-01T00:00:00.000Z' }));
  routing.applyTicketUpdate(s, ticket('new-normal', { eligibleSince: '2025-01-03T00:00:00.000Z' }));
  expect(routing.queue(s).map((t) => t.ticketId)).toEqual(['late-urgent', 'old-normal', 'new-normal']);
});

test('highest spare capacity wins; ties go to the agent idle longest', () => {
  const s = routing.emptyRoutingState();
  routing.upsertAgent(s, agent('a', { capacity: { messaging: 3, email: 1 } }));
  routing.upsertAgent(s, agent('b', { capacity: { messaging: 5, email: 1 } }));
  routing.applyTicketUpdate(s, ticket('t1'));
  expect(routing.drainQueue(s, 1000)).toEqual([{ ticketId: 't1', workflowId: 'conversation:t1', agentId: 'b', channel: 'messaging' }]);
  const tie = routing.emptyRoutingState();
  routing.upsertAgent(tie, agent('x'));
  routing.upsertAgent(tie, agent('y'));
  tie.agents.x.lastAssignedAt.messaging = 500;
  routing.applyTicketUpdate(tie, ticket('t2'));
  expect(routing.drainQueue(tie, 1000)[0].agentId).toBe('y');
});

test('messaging needs online; email works for away agents; transfers_only takes no queue work', () => {
  const s = routing.emptyRoutingState();
  routing.upsertAgent(s, agent('away', { status: 'away' }));
  routing.upsertAgent(s, agent('tx', { status: 'transfers_only' }));
  routing.applyTicketUpdate(s, ticket('m'));
  routing.applyTicketUpdate(s, ticket('e', { routingChannel: 'email', tags: ['auto_routing'] }));
  const made = routing.drainQueue(s, 1);
  expect(made.map((a) => [a.ticketId, a.agentId])).toEqual([['e', 'away']]);
});

test('session ended with routing channel messaging: not routable and frees the slot; email keeps the assignee and counts as email', () => {
  const s = routing.emptyRoutingState();
  routing.upsertAgent(s, agent('a'));
  routing.applyTicketUpdate(s, ticket('t'));
  routing.drainQueue(s, 1);
  expect(routing.loads(s).a.use).toEqual({ messaging: 1, email: 0 });
  routing.applyTicketUpdate(s, ticket('t', { version: 2, status: 'open', sessionState: 'ended', assigneeId: 'a' }));
  expect(routing.loads(s).a.use).toEqual({ messaging: 0, email: 0 });
  expect(routing.queue(s)).toEqual([]);
  routing.applyTicketUpdate(s, ticket('u'));
  routing.drainQueue(s, 2);
  routing.applyTicketUpdate(s, ticket('u', { version: 2, status: 'open', sessionState: 'ended', routingChannel: 'email', assigneeId: 'a' }));
  expect(routing.loads(s).a.use).toEqual({ messaging: 0, email: 1 });
});

test('stale versions are ignored; routing keeps its own assignee', () => {
  const s = routing.emptyRoutingState();
  routing.upsertAgent(s, agent('a'));
  routing.applyTicketUpdate(s, ticket('t', { version: 3 }));
  routing.drainQueue(s, 1);
  expect(routing.applyTicketUpdate(s, ticket('t', { version: 2, status: 'solved' }))).toBe(false);
  routing.applyTicketUpdate(s, ticket('t', { version: 4, status: 'open', assigneeId: null }));
  expect(s.tickets.t.assigneeId).toBe('a');
});

test('inactive sessions count only when count_inactive_towards_capacity is on', () => {
  for (const count of [false, true]) {
    const s = routing.emptyRoutingState({ countInactiveTowardsCapacity: count });
    routing.upsertAgent(s, agent('a'));
    routing.applyTicketUpdate(s, ticket('t'));
    routing.drainQueue(s, 1);
    routing.applyTicketUpdate(s, ticket('t', { version: 2, status: 'open', sessionState: 'inactive', assigneeId: 'a' }));
    expect(routing.loads(s).a.use.messaging).toBe(count ? 1 : 0);
  }
});

test('property: whatever the order of ticket updates, routing never assigns past a capacity limit (a reopen may, as in Zendesk)', () => {
  const update = fc.record({
    id: fc.constantFrom('t1', 't2', 't3', 't4', 't5', 't6'),
    status: fc.constantFrom('new', 'open', 'pending', 'solved', 'closed' as const),
    sessionState: fc.constantFrom('active', 'inactive', 'ended' as const),
    routingChannel: fc.constantFrom('messaging', 'email' as const),
    group: fc.constantFrom('g1', 'g2'),
  });
  fc.assert(
    fc.property(fc.array(update, { maxLength: 60 }), fc.boolean(), (updates, countInactive) => {
      const s = routing.emptyRoutingState({ countInactiveTowardsCapacity: countInactive });
      routing.upsertAgent(s, agent('a', { groups: ['g1'], capacity: { messaging: 1, email: 2 } }));
      routing.upsertAgent(s, agent('b', { groups: ['g1', 'g2'], capacity: { messaging: 2, email: 1 } }));
      const versions: Record<string, number> = {};
      for (const u of updates) {
        versions[u.id] = (versions[u.id] ?? 0) + 1;
        routing.applyTicketUpdate(s, ticket(u.id, { version: versions[u.id], status: u.status as RoutedTicketUpdate['status'], sessionState: u.sessionState as RoutedTicketUpdate['sessionState'], routingChannel: u.routingChannel as RoutedTicketUpdate['routingChannel'], groupId: u.group, tags: ['auto_routing'], assigneeId: s.tickets[u.id]?.assigneeId ?? null }));
        const before = routing.loads(s);
        routing.drainQueue(s, versions[u.id]);
        for (const l of Object.values(routing.loads(s))) {
          const was = before[l.agentId].use;
          if (l.use.messaging > Math.max(l.capacity.messaging, was.messaging)) return false;
          if (l.use.email > Math.max(l.capacity.email, was.email)) return false;
        }
      }
      return true;
    }),
  );
});

test('agent and ticket ids that are JavaScript property names are ordinary ids (also after continue-as-new)', () => {
  const s = routing.emptyRoutingState();
  for (const id of ['constructor', '__proto__', 'toString']) routing.upsertAgent(s, agent(id));
  routing.applyTicketUpdate(s, ticket('__proto__'));
  const restored = routing.restoreRoutingState(JSON.parse(JSON.stringify(s)));
  expect(Object.keys(restored.agents).sort()).toEqual(['__proto__', 'constructor', 'toString']);
  const [made] = routing.drainQueue(restored, 1);
  expect(made.agentId).toBe('__proto__'); // equal spare capacity, equal idle time: smallest id
  const ctor = 'constructor';
  expect(routing.loads(restored)[made.agentId].use).toEqual({ messaging: 1, email: 0 });
  expect(routing.loads(restored)[ctor].use).toEqual({ messaging: 0, email: 0 });
});

test('property: the incremental use counters always equal a recount of the ticket table', () => {
  const update = fc.record({
    id: fc.constantFrom('t1', 't2', 't3', 't4'),
    status: fc.constantFrom('new', 'open', 'pending', 'closed' as const),
    sessionState: fc.constantFrom('active', 'inactive', 'ended' as const),
    routingChannel: fc.constantFrom('messaging', 'email' as const),
  });
  const op = fc.oneof(
    update.map((u) => ({ kind: 'update' as const, u })),
    fc.constant({ kind: 'forget' as const }),
    fc.boolean().map((b) => ({ kind: 'options' as const, b })),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 50 }), (ops) => {
      const s = routing.emptyRoutingState();
      routing.upsertAgent(s, agent('a', { capacity: { messaging: 2, email: 2 } }));
      const versions: Record<string, number> = {};
      for (const o of ops) {
        if (o.kind === 'update') {
          versions[o.u.id] = (versions[o.u.id] ?? 0) + 1;
          routing.applyTicketUpdate(s, ticket(o.u.id, { version: versions[o.u.id], status: o.u.status as RoutedTicketUpdate['status'], sessionState: o.u.sessionState as RoutedTicketUpdate['sessionState'], routingChannel: o.u.routingChannel as RoutedTicketUpdate['routingChannel'], tags: ['auto_routing'], assigneeId: s.tickets[o.u.id]?.assigneeId ?? null }));
        } else if (o.kind === 'forget') routing.forgetTicket(s, 't1');
        else routing.setOptions(s, { countInactiveTowardsCapacity: o.b });
        routing.drainQueue(s, 1);
        const counted = { ...routing.useOf(s, 'a') };
        routing.recomputeUse(s);
        if (JSON.stringify(counted) !== JSON.stringify(routing.useOf(s, 'a'))) return false;
      }
      return true;
    }),
  );
});
