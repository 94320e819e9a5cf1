// Which server answers at an address the user typed: Ollama's native API, or an OpenAI-compatible
// server and which one, read from what each exposes (docs/openai-compatible.md §1, §5, §6, §8).
import { OpenAiHttpError, OpenAiUnreachableError, isAbortError } from './errors.ts';
import { FLAVOURS, guessFlavourFromPort, llamaServerConcurrency } from './flavours.ts';
import type { OpenAiFlavour } from './flavours.ts';
import { OpenAiHttp, asRecord } from './http.ts';

/** Any server this app speaks to: Ollama natively, or one OpenAI-compatible flavour. */
export type ServerFlavour = OpenAiFlavour | 'ollama';

/** A server that answered, and how to use it. */
export interface DetectedServer {
  kind: 'ollama' | 'openai';
  flavour: ServerFlavour;
  /** The address without `/v1`, as OpenAiEngine and OllamaClient take it. */
  baseUrl: string;
  /** "vLLM", "Ollama"… */
  label: string;
  version?: string;
  /** How many reads to run at once by default (docs §8). */
  concurrency: number;
}

/** What detection found; every failure carries the best guess of which server it is. */
export type Detection =
  | { status: 'found'; server: DetectedServer }
  /** Nothing answers at the address. */
  | { status: 'unreachable'; baseUrl: string; flavourGuess?: ServerFlavour }
  /** Something answers, but CORS hides every answer from this page. */
  | { status: 'cors-refused'; baseUrl: string; flavourGuess?: ServerFlavour }
  /** Open paths answer, /v1/models is hidden: vLLM answers a missing or wrong key without CORS headers (§5). */
  | { status: 'models-hidden'; baseUrl: string; flavourGuess?: ServerFlavour; hasKey: boolean }
  | { status: 'key-missing' | 'key-refused'; baseUrl: string; flavourGuess?: ServerFlavour; message: string }
  /** It answered, but not as an OpenAI-compatible server (no /v1/models). */
  | { status: 'not-openai'; baseUrl: string; httpStatus: number; message: string };


function openAi(baseUrl: string, flavour: OpenAiFlavour, extra: Partial<DetectedServer> = {}): DetectedServer {
  const facts = FLAVOURS[flavour];
  return { kind: 'openai', flavour, baseUrl, label: facts.label, concurrency: facts.concurrency, ...extra };
}

/** Ask each flavour's own endpoint in turn; these stay open without a key on most servers (§6). */
async function identifyFlavour(http: OpenAiHttp, llamaHttp: OpenAiHttp, ownedBy: string[], signal?: AbortSignal): Promise<DetectedServer | undefined> {
  const { baseUrl } = http;
  if (ownedBy.includes('vllm')) {
    const version = asRecord(await http.getJsonIfAny('/version', signal)).version;
    return openAi(baseUrl, 'vllm', typeof version === 'string' ? { version } : {});
  }
  const props = asRecord(await llamaHttp.getJsonIfAny('/props', signal));
  if (ownedBy.includes('llamacpp') || 'total_slots' in props || 'modalities' in props) {
    const build = props.build_info;
    return openAi(baseUrl, 'llama-server', {
      concurrency: llamaServerConcurrency(props.total_slots),
      ...(typeof build === 'string' ? { version: build } : {}),
    });
  }
  if (ownedBy.includes('library')) return openAi(baseUrl, 'ollama-v1');
  const lmStudio = asRecord(await http.getJsonIfAny('/api/v0/models', signal)).data;
  if (Array.isArray(lmStudio) && lmStudio.some((m) => typeof asRecord(m).type === 'string')) return openAi(baseUrl, 'lmstudio');
  // LiteLLM answers its open liveness route with the JSON string "I'm alive!".
  const liveliness = await http.getJsonIfAny('/health/liveliness', signal);
  if (typeof liveliness === 'string' && /alive/i.test(liveliness)) return openAi(baseUrl, 'litellm');
  if (Array.isArray(asRecord(await http.getJsonIfAny('/model/info', signal)).data)) return openAi(baseUrl, 'litellm');
  const version = asRecord(await http.getJsonIfAny('/version', signal)).version;
  if (typeof version === 'string') return openAi(baseUrl, 'vllm', { version });
  return undefined;
}

/** A settled request: its value, or any failure but an abort. */
async function settle(promise: Promise<unknown>): Promise<{ value: unknown } | { error: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    if (isAbortError(error)) throw error;
    return { error };
  }
}

const isKeyProblem = (error: unknown): error is OpenAiHttpError =>
  error instanceof OpenAiHttpError && (error.problem === 'key-missing' || error.problem === 'key-refused');

/** Where nothing could be read: a server answering opaquely is CORS, silence is unreachable. */
async function explainSilence(http: OpenAiHttp, signal?: AbortSignal): Promise<Detection> {
  const byPort = guessFlavourFromPort(http.baseUrl);
  // On 11434 it is Ollama, whose native API this app prefers.
  const flavourGuess = byPort === 'ollama-v1' ? 'ollama' : byPort;
  const isAnswering = await http.isServerAnswering(signal);
  return { status: isAnswering ? 'cors-refused' : 'unreachable', baseUrl: http.baseUrl, flavourGuess };
}

/**
 * Find out what answers at `baseUrl`: Ollama (GET /api/version), else an OpenAI-compatible server
 * (GET /v1/models) and its flavour from `owned_by` and each server's own endpoints.
 */
export async function detectServer(
  baseUrl: string,
  options: { apiKey?: string; fetch?: typeof fetch; signal?: AbortSignal } = {},
): Promise<Detection> {
  const { signal } = options;
  const http = new OpenAiHttp(baseUrl, options);
  // No key here: Ollama never wants one, and a plain GET needs no CORS preflight.
  const plain = new OpenAiHttp(baseUrl, { fetch: options.fetch });
  let isReadable = true;
  try {
    const version = asRecord(await plain.getJson('/api/version', signal)).version;
    if (typeof version === 'string') {
      return { status: 'found', server: { kind: 'ollama', flavour: 'ollama', baseUrl: http.baseUrl, label: 'Ollama', version, concurrency: 1 } };
    }
  } catch (error) {
    if (isAbortError(error)) throw error;
    if (error instanceof OpenAiUnreachableError) isReadable = false;
  }
  if (!isReadable) return explainSilence(http, signal);

  // Keyless first: a plain GET needs no preflight, and llama-server keeps /v1/models open. With a
  // key, ask again where the keyless answer was a key problem or hidden (vLLM's CORS-less 401).
  let attempt = await settle(plain.getJson('/v1/models', signal));
  if (http.hasKey && 'error' in attempt && (isKeyProblem(attempt.error) || attempt.error instanceof OpenAiUnreachableError)) {
    attempt = await settle(http.getJson('/v1/models', signal));
  }
  const llamaHttp = new OpenAiHttp(baseUrl, { ...options, keyHeader: 'x-api-key' });
  if ('error' in attempt) {
    const failure = attempt.error;
    const flavourGuess = (await identifyFlavour(http, llamaHttp, [], signal))?.flavour ?? guessFlavourFromPort(http.baseUrl);
    if (failure instanceof OpenAiUnreachableError) return { status: 'models-hidden', baseUrl: http.baseUrl, flavourGuess, hasKey: http.hasKey };
    if (isKeyProblem(failure)) {
      return { status: failure.problem as 'key-missing' | 'key-refused', baseUrl: http.baseUrl, flavourGuess, message: failure.message };
    }
    const status = failure instanceof OpenAiHttpError ? failure.status : 0;
    return { status: 'not-openai', baseUrl: http.baseUrl, httpStatus: status, message: failure instanceof Error ? failure.message : String(failure) };
  }
  const list = asRecord(attempt.value);
  const ownedBy = Array.isArray(list.data)
    ? (list.data as unknown[]).map((m) => asRecord(m).owned_by).filter((o): o is string => typeof o === 'string')
    : [];
  const server = (await identifyFlavour(http, llamaHttp, ownedBy, signal)) ?? openAi(http.baseUrl, 'generic');
  return { status: 'found', server };
}
