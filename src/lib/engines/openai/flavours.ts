// What differs between OpenAI-compatible servers, as far as this app cares (docs/openai-compatible.md).

/** Which OpenAI-compatible server it is; `generic` when it does not say. */
export type OpenAiFlavour = 'vllm' | 'llama-server' | 'lmstudio' | 'litellm' | 'ollama-v1' | 'generic';

/** Facts about one flavour. */
export interface FlavourFacts {
  /** Shown to people: "vLLM", "LM Studio". */
  label: string;
  /** Its default ports (§7: llama-server moved from 8080 to 9931). */
  ports: number[];
  /** How many reads to run at once by default (§8, the client defaults in brackets). */
  concurrency: number;
  /** It returns token log-probabilities when asked (§2). */
  hasLogprobs: boolean;
  /** It holds replies to a JSON Schema given as `response_format: {type: "json_schema"}` (docs §10). */
  hasStructuredOutput: boolean;
  /**
   * It runs as many requests at once as the app sends and queues the rest (§8: llama-server's
   * slots, Ollama's OLLAMA_NUM_PARALLEL and queue of 512), so one more sent ahead waits there. Not
   * vLLM: it batches up to `--max-num-seqs`, far above the images at once set here, so a request
   * sent ahead would run beside the others; not said of LM Studio; LiteLLM answers 429 past its limits.
   */
  queuesAhead: boolean;
}

export const FLAVOURS: Record<OpenAiFlavour, FlavourFacts> = {
  vllm: { label: 'vLLM', ports: [8000], concurrency: 4, hasLogprobs: true, hasStructuredOutput: true, queuesAhead: false },
  'llama-server': { label: 'llama-server', ports: [8080, 9931], concurrency: 1, hasLogprobs: true, hasStructuredOutput: true, queuesAhead: true },
  lmstudio: { label: 'LM Studio', ports: [1234], concurrency: 2, hasLogprobs: false, hasStructuredOutput: true, queuesAhead: false },
  litellm: { label: 'LiteLLM', ports: [4000], concurrency: 2, hasLogprobs: false, hasStructuredOutput: false, queuesAhead: false },
  'ollama-v1': { label: 'Ollama (OpenAI API)', ports: [11434], concurrency: 1, hasLogprobs: true, hasStructuredOutput: true, queuesAhead: true },
  generic: { label: 'OpenAI-compatible server', ports: [], concurrency: 1, hasLogprobs: false, hasStructuredOutput: false, queuesAhead: false },
};

/** The flavour whose default port this address uses, when nothing can be read from the server. */
export function guessFlavourFromPort(baseUrl: string): OpenAiFlavour | undefined {
  let port: number;
  try {
    const url = new URL(baseUrl);
    port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  } catch {
    return undefined;
  }
  const match = (Object.keys(FLAVOURS) as OpenAiFlavour[]).find((f) => FLAVOURS[f].ports.includes(port));
  return match;
}

/** llama-server runs `total_slots` requests at once (4 by default since late 2025); more only queue. */
export function llamaServerConcurrency(totalSlots: unknown): number {
  return typeof totalSlots === 'number' && totalSlots >= 1 ? Math.min(Math.floor(totalSlots), 4) : FLAVOURS['llama-server'].concurrency;
}
