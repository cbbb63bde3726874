/**
 * Omnichannel routing policy (DOMAIN.md §5), pure and deterministic. The routing workflow is its
 * single writer: it holds a {@link RoutingState}, applies agent and ticket changes with the
 * functions here, and runs {@link drainQueue} after each one so freed capacity is used at once
 * (scenario S9). Capacity use is derived from the ticket table, never counted by hand, so a
 * release can be neither lost nor applied twice.
 */
import { z } from 'zod';
import type { RoutedTicketUpdate } from './conversation';
import { AgentStatusSchema, PRIORITIES, type AgentStatus, type RoutingChannel } from './vocabulary';

/** Per-channel capacity limits of an agent's capacity rule (DOMAIN.md §1: 0..500 each). */
export const CapacitySchema = z.object({
  messaging: z.number().int().min(0).max(500),
  email: z.number().int().min(0).max(500),
});
export type Capacity = z.infer<typeof CapacitySchema>;

/** An agent as admins define it through the API. */
export const AgentInputSchema = z
  .object({
    id: z.string().min(1).max(128),
    name: z.string().min(1).max(200).optional(),
    status: AgentStatusSchema.default('offline'),
    groups: z.array(z.string().min(1).max(128)).min(1).max(50).default(['support']),
    capacity: CapacitySchema.default({ messaging: 3, email: 10 }),
  })
  .strict();
export type AgentInput = z.input<typeof AgentInputSchema>;

/** An agent as routing keeps it. `lastAssignedAt` (ms) per channel gives "idle longest" tie-breaks. */
export interface Agent {
  id: string;
  name: string;
  status: AgentStatus;
  groups: string[];
  capacity: Capacity;
  lastAssignedAt: Record<RoutingChannel, number>;
}

/** A ticket routing knows of: the conversation's latest routing view, with routing's own assignee. */
export type RoutedTicket = RoutedTicketUpdate;

/** Routing-wide options that live with the router. */
export interface RoutingOptions {
  countInactiveTowardsCapacity: boolean;
  /** Tag an email-routed ticket needs to be routed by the standard queue (DOMAIN.md §5). */
  autoRoutingTag: string;
}

/** The routing workflow's whole state (carried across continue-as-new). */
export interface RoutingState {
  agents: Record<string, Agent>;
  tickets: Record<string, RoutedTicket>;
  options: RoutingOptions;
  /** Highest use seen per agent and channel since the router started (for reports). */
  peakUse: Record<string, Record<RoutingChannel, number>>;
  /**
   * Current use per agent and channel, kept in step with `tickets` by every function here (so a
   * signal costs O(1) for capacity, not a scan of the table); `recomputeUse` rebuilds it.
   */
  use: Record<string, Record<RoutingChannel, number>>;
}

/** A decision of {@link drainQueue}: give `ticketId` to `agentId`. */
export interface Assignment {
  ticketId: string;
  workflowId: string;
  agentId: string;
  channel: RoutingChannel;
}

/** Capacity use of one agent, and the limit, per channel. */
export interface AgentLoad {
  agentId: string;
  status: AgentStatus;
  use: Record<RoutingChannel, number>;
  capacity: Capacity;
}

/**
 * A dictionary without a prototype, so ids such as `constructor` or `__proto__` are plain keys.
 * Used for every id-keyed table of the router (agent and ticket ids come from outside).
 */
export function dict<T>(from?: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, from);
}

/** A new, empty router. */
export function emptyRoutingState(options?: Partial<RoutingOptions>): RoutingState {
  return {
    agents: dict(),
    tickets: dict(),
    options: { countInactiveTowardsCapacity: false, autoRoutingTag: 'auto_routing', ...options },
    peakUse: dict(),
    use: dict(),
  };
}

/** Rebuilds a router carried across continue-as-new (JSON gives plain objects back). */
export function restoreRoutingState(carried: RoutingState): RoutingState {
  const state = { ...carried, agents: dict(carried.agents), tickets: dict(carried.tickets), peakUse: dict(carried.peakUse), use: dict<Record<RoutingChannel, number>>() };
  recomputeUse(state);
  return state;
}

/** Rebuilds the use counters from the ticket table (after an options change or a restore). */
export function recomputeUse(state: RoutingState): void {
  state.use = dict();
  for (const t of Object.values(state.tickets)) countSlot(state, t, +1);
}

function countSlot(state: RoutingState, ticket: RoutedTicket | undefined, delta: 1 | -1): void {
  if (!ticket) return;
  const slot = capacitySlot(ticket, state.options);
  if (!slot || !ticket.assigneeId) return;
  const use = (state.use[ticket.assigneeId] ??= { messaging: 0, email: 0 });
  use[slot] += delta;
  if (delta > 0) {
    const peak = (state.peakUse[ticket.assigneeId] ??= { messaging: 0, email: 0 });
    peak[slot] = Math.max(peak[slot], use[slot]);
  }
}

/** Current use of one agent per channel. */
export function useOf(state: RoutingState, agentId: string): Record<RoutingChannel, number> {
  const use = state.use[agentId];
  return use ? { ...use } : { messaging: 0, email: 0 };
}

/** Adds or replaces an agent's definition, keeping its idle clocks. Returns the stored agent. */
export function upsertAgent(state: RoutingState, input: z.output<typeof AgentInputSchema>): Agent {
  const previous = state.agents[input.id];
  const agent: Agent = {
    id: input.id,
    name: input.name ?? previous?.name ?? input.id,
    status: input.status,
    groups: [...input.groups],
    capacity: { ...input.capacity },
    lastAssignedAt: previous?.lastAssignedAt ?? { messaging: 0, email: 0 },
  };
  state.agents[input.id] = agent;
  return agent;
}

/**
 * Does this ticket occupy a slot of its assignee's capacity, and on which channel? (DOMAIN.md §5:
 * messaging = assigned active messaging tickets; email = assigned open email-routed tickets;
 * pending/hold/solved/closed free it; an ended session frees messaging.)
 */
export function capacitySlot(ticket: RoutedTicket, options: RoutingOptions): RoutingChannel | null {
  if (!ticket.assigneeId || (ticket.status !== 'new' && ticket.status !== 'open')) return null;
  if (ticket.routingChannel === 'email') return 'email';
  if (ticket.sessionState === 'active') return 'messaging';
  if (ticket.sessionState === 'inactive' && options.countInactiveTowardsCapacity) return 'messaging';
  return null;
}

/**
 * May routing hand this ticket to an agent? Status new/open, unassigned, has a group, and not
 * (session ended while routing channel is messaging); email-routed tickets need the auto-routing tag.
 */
export function isRoutable(ticket: RoutedTicket, options: RoutingOptions): boolean {
  if (ticket.assigneeId) return false;
  if (ticket.status !== 'new' && ticket.status !== 'open') return false;
  if (!ticket.groupId) return false;
  if (ticket.routingChannel === 'messaging') return ticket.sessionState !== 'ended';
  return ticket.tags.includes(options.autoRoutingTag);
}

/** Current use per channel for every agent (from the counters; O(agents)). */
export function loads(state: RoutingState): Record<string, AgentLoad> {
  const out = dict<AgentLoad>();
  for (const a of Object.values(state.agents)) {
    out[a.id] = { agentId: a.id, status: a.status, use: useOf(state, a.id), capacity: a.capacity };
  }
  return out;
}

/**
 * Applies a conversation's routing view of its ticket. Stale versions (not newer than stored) are
 * ignored, so retried or reordered deliveries are harmless. While routing holds the ticket its own
 * assignee wins (the conversation may not have heard of the assignment yet). Tickets that neither
 * wait in a queue nor occupy capacity leave the table (closed, pending, ended sessions...): the
 * conversation's next update brings them back with its assignee, so the table stays small.
 * @returns true when the update was applied.
 */
export function applyTicketUpdate(state: RoutingState, update: RoutedTicketUpdate): boolean {
  const current = state.tickets[update.ticketId];
  if (current && current.version >= update.version) return false;
  const ticket: RoutedTicket = { ...update, assigneeId: current ? current.assigneeId : update.assigneeId };
  countSlot(state, current, -1);
  if (update.status !== 'closed' && (isRoutable(ticket, state.options) || capacitySlot(ticket, state.options))) {
    state.tickets[update.ticketId] = ticket;
    countSlot(state, ticket, +1);
  } else {
    delete state.tickets[update.ticketId];
  }
  return true;
}

const priorityRank = (p: RoutedTicket['priority']): number => PRIORITIES.indexOf(p);

/** Queue order: priority (urgent first), then the time the ticket became eligible (oldest first), then id. */
export function compareQueueOrder(a: RoutedTicket, b: RoutedTicket): number {
  return (
    priorityRank(b.priority) - priorityRank(a.priority) ||
    a.eligibleSince.localeCompare(b.eligibleSince) ||
    a.ticketId.localeCompare(b.ticketId)
  );
}

function statusAllows(status: AgentStatus, channel: RoutingChannel): boolean {
  return channel === 'messaging' ? status === 'online' : status === 'online' || status === 'away';
}

/**
 * Picks the agent for a ticket: in the ticket's group, status allowing the channel, with spare
 * capacity; the highest spare capacity wins; ties go to the agent idle longest on that channel,
 * then the smaller id (deterministic).
 */
export function pickAgent(
  state: RoutingState,
  ticket: RoutedTicket,
): Agent | null {
  const channel = ticket.routingChannel;
  let best: Agent | null = null;
  let bestSpare = 0;
  for (const agent of Object.values(state.agents)) {
    if (!statusAllows(agent.status, channel) || !agent.groups.includes(ticket.groupId)) continue;
    const spare = agent.capacity[channel] - (state.use[agent.id]?.[channel] ?? 0);
    if (spare <= 0) continue;
    if (
      !best ||
      spare > bestSpare ||
      (spare === bestSpare &&
        (agent.lastAssignedAt[channel] < best.lastAssignedAt[channel] ||
          (agent.lastAssignedAt[channel] === best.lastAssignedAt[channel] && agent.id < best.id)))
    ) {
      best = agent;
      bestSpare = spare;
    }
  }
  return best;
}

/**
 * Assigns every routable ticket it can, in queue order, and returns the assignments made. Each
 * assignment takes a slot at once, so capacity never exceeds its limit at any instant.
 * @param nowMs workflow time in ms since the epoch (for idle-longest tie-breaks).
 */
export function drainQueue(state: RoutingState, nowMs: number): Assignment[] {
  const waiting = queue(state);
  const made: Assignment[] = [];
  for (const ticket of waiting) {
    const agent = pickAgent(state, ticket);
    if (!agent) continue;
    ticket.assigneeId = agent.id;
    const channel = ticket.routingChannel;
    agent.lastAssignedAt[channel] = nowMs;
    countSlot(state, ticket, +1);
    made.push({ ticketId: ticket.ticketId, workflowId: ticket.workflowId, agentId: agent.id, channel });
  }
  return made;
}

/** Tickets waiting for an agent, in queue order. */
export function queue(state: RoutingState): RoutedTicket[] {
  return Object.values(state.tickets)
    .filter((t) => isRoutable(t, state.options))
    .sort(compareQueueOrder);
}

/** Drops a ticket whose conversation is gone (e.g. its workflow no longer exists), freeing its slot. */
export function forgetTicket(state: RoutingState, ticketId: string): void {
  countSlot(state, state.tickets[ticketId], -1);
  delete state.tickets[ticketId];
}

/** Replaces routing options (capacity counting rules) and recounts use under them. */
export function setOptions(state: RoutingState, options: Partial<RoutingOptions>): void {
  state.options = { ...state.options, ...options };
  recomputeUse(state);
}
