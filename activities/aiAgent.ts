/** The AI agent that answers first (DOMAIN.md §2 step 1), behind a small interface. */

/** What an AI agent says to one end-user message. */
export interface AiAgentAnswer {
  text: string | null;
  handOff: boolean;
}

/** Pluggable AI agent. Must be a pure function of its input (it may be retried). */
export interface AiAgent {
  answer(input: { text: string; firstMessage: boolean; requesterName?: string }): Promise<AiAgentAnswer>;
}

const ASKS_FOR_HUMAN = /\b(agent|human|person|someone|representative|operator|real people)\b/i;

/**
 * A rule-based AI agent: greets the end user on the first message and hands off as soon as they
 * ask for a human. A real deployment plugs an LLM-backed agent in its place.
 */
export class RuleBasedAiAgent implements AiAgent {
  async answer(input: { text: string; firstMessage: boolean; requesterName?: string }): Promise<AiAgentAnswer> {
    if (ASKS_FOR_HUMAN.test(input.text)) return { text: 'Connecting you with an agent now.', handOff: true };
    if (input.firstMessage) {
      const name = input.requesterName ? ` ${input.requesterName}` : '';
      return { text: `Hi${name}! I'm the virtual assistant. Tell me more, or ask for an agent at any time.`, handOff: false };
    }
    return { text: null, handOff: false };
  }
}
