/// <reference types="node" />
// A fake OpenAI-compatible server for tests, as awkward as the real ones (docs/openai-compatible.md
// §9): vLLM, llama-server, LM Studio, LiteLLM or Ollama's /v1, by `flavour`. SSE events split across
// reads and packed several per read, late headers, errors mid-stream, usage only when asked, each
// server's CORS, keys, error shapes and vision hints. Only node:http.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleChat } from './chat.ts';
import type { ChatDeps } from './chat.ts';
import { createCors } from './cors.ts';
import type { CorsSettings } from './cors.ts';
import { PROFILES, errorResponse } from './flavours.ts';
import type { FakeFlavour } from './flavours.ts';
import { routeInfo } from './routes.ts';
import { Gate, sendJson } from './state.ts';
import type { FailNextSpec, FakeOpenAiModel, ReplyFn, ReplySpec, RequestContext, Tuning } from './state.ts';

export type { FakeFlavour } from './flavours.ts';
export type { FailNextSpec, FakeChatRequest, FakeOpenAiModel, ReplyFn, ReplySpec, Tuning } from './state.ts';

/** Each flavour's default port (§7) — tests use a free port; the CLI uses these. */
export const DEFAULT_PORTS: Record<FakeFlavour, number> = { vllm: 8000, 'llama-server': 8080, lmstudio: 1234, litellm: 4000, 'ollama-v1': 11434 };

export const DEFAULT_MODELS: Record<FakeFlavour, FakeOpenAiModel[]> = {
  vllm: [{ id: 'Qwen/Qwen2.5-VL-7B-Instruct', vision: true }, { id: 'meta-llama/Llama-3.1-8B-Instruct', vision: false }],
  'llama-server': [{ id: 'gemma-3-4b-it-Q4_K_M.gguf', vision: true }],
  lmstudio: [{ id: 'google/gemma-3-4b', vision: true }, { id: 'qwen/qwen3-4b', vision: false }],
  litellm: [{ id: 'gpt-vision', vision: true }, { id: 'local-text' }],
  'ollama-v1': [{ id: 'gemma3:4b', vision: true }, { id: 'llama3.2:3b', vision: false }],
};

export interface FakeOpenAiOptions extends Partial<Tuning> {
  flavour: FakeFlavour;
  /** 0 = a free port (default). */
  port?: number;
  host?: string;
  models?: readonly FakeOpenAiModel[];
  /** The key the server demands (vLLM --api-key, llama-server --api-key, LITELLM_MASTER_KEY…); Ollama ignores it. */
  apiKey?: string;
  /** Allowed origins: vLLM --allowed-origins, llama-server --cors-origins, LITELLM_CORS_ALLOW_ORIGINS, OLLAMA_ORIGINS. */
  corsOrigins?: readonly string[];
  /** LM Studio "Enable CORS" (off by default, as in LM Studio). */
  lmStudioCors?: boolean;
  /** llama-server /props `total_slots`. Default 4. */
  totalSlots?: number;
  /** Newest llama-server: /v1/models carries `models[].capabilities` and `architecture.input_modalities`. */
  listsCapabilities?: boolean;
  reply?: ReplyFn | ReplySpec;
}

export interface RecordedRequest {
  method: string;
  path: string;
  origin: string | undefined;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or undefined. */
  body: unknown;
  /** The response status once it finished (undefined if the connection was cut). */
  status?: number;
}

export interface FakeOpenAi {
  readonly flavour: FakeFlavour;
  /** http://HOST:PORT, without a trailing slash or /v1. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order (a live array). */
  readonly requests: RecordedRequest[];
  /** Chat streams now running, and the most that ran at once. */
  readonly activeChats: number;
  readonly peakChats: number;
  /** Chat streams the client closed before the end. */
  readonly cancelled: number;
  clearRequests(): void;
  setModels(models: readonly FakeOpenAiModel[]): void;
  /** Reply text (split into word pieces), exact pieces, reasoning + content, or a function; undefined = default. */
  setReply(reply: ReplyFn | ReplySpec | undefined): void;
  configure(patch: Partial<Tuning>): void;
  /** One-shot: the next chat fails before any token with the flavour's error (or this status/body). */
  failNext(spec?: FailNextSpec): void;
  /** One-shot: the next chat sends `afterChunks` chunks, then fails the flavour's way (§9.3). */
  failMidStream(message: string, afterChunks?: number): void;
  /** One-shot: the next chat's socket is destroyed after `afterChunks` chunks. */
  dropMidStream(afterChunks?: number): void;
  /** From now on each token waits for release(); releaseAll() ends holding. */
  hold(): void;
  release(n?: number): void;
  releaseAll(): void;
  /** Resolves once at least n streams wait on hold(). */
  whenHeld(n?: number): Promise<void>;
  /** Resolves once no chat stream is running. */
  whenIdle(): Promise<void>;
  close(): Promise<void>;
}

function toReplyFn(reply: ReplyFn | ReplySpec | undefined): ReplyFn | undefined {
  return reply === undefined || typeof reply === 'function' ? reply : () => reply;
}

/** The key a request carries: `Authorization: Bearer` (all), `X-Api-Key` (llama-server too) (§6). */
function keyOf(flavour: FakeFlavour, headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
  if (bearer) return bearer.trim();
  const xKey = headers['x-api-key'];
  return flavour === 'llama-server' && typeof xKey === 'string' ? xKey : undefined;
}

export async function startFakeOpenAi(options: FakeOpenAiOptions): Promise<FakeOpenAi> {
  const { flavour } = options;
  const profile = PROFILES[flavour];
  const host = options.host ?? '127.0.0.1';
  const settings: CorsSettings = { origins: options.corsOrigins, isLmStudioCorsOn: options.lmStudioCors };
  const decideCors = createCors(flavour, settings);
  const tuning: Tuning = {
    firstTokenDelayMs: options.firstTokenDelayMs ?? 10,
    chunkDelayMs: options.chunkDelayMs ?? 5,
    splitDelayMs: options.splitDelayMs ?? 2,
    isSplit: options.isSplit ?? true,
    isPacked: options.isPacked ?? true,
    isCrlf: options.isCrlf ?? false,
    hasPings: options.hasPings ?? false,
  };
  let models = [...(options.models ?? DEFAULT_MODELS[flavour])];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const counts = { active: 0, peak: 0, cancelled: 0 };
  const idleWaiters: (() => void)[] = [];
  const deps: ChatDeps = {
    flavour,
    models: () => models,
    tuning,
    gate: new Gate(),
    reply: toReplyFn(options.reply),
    failNext: [],
    midStream: [],
    drops: [],
    onStart() {
      counts.active++;
      counts.peak = Math.max(counts.peak, counts.active);
    },
    onEnd(isCancelled) {
      counts.active--;
      if (isCancelled) counts.cancelled++;
      if (counts.active === 0) for (const wake of idleWaiters.splice(0)) wake();
    },
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : undefined;
    } catch {
      parsed = undefined;
    }
    const record: RecordedRequest = { method, path, origin: req.headers.origin, headers: req.headers, body: parsed };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort();
    });
    const ctx: RequestContext = { res, method, path, body, signal: controller.signal, drop: () => res.socket?.destroy() };

    const cors = decideCors(method, path, req.headers);
    if (cors.kind === 'answer') {
      const type = cors.contentType ? { 'Content-Type': cors.contentType } : {};
      res.writeHead(cors.status, { ...cors.headers, ...type, 'Content-Length': Buffer.byteLength(cors.body) });
      return void res.end(cors.body);
    }
    const needsKey = options.apiKey !== undefined && flavour !== 'ollama-v1' && method !== 'OPTIONS' && profile.needsKey(path);
    const given = keyOf(flavour, req.headers);
    if (needsKey && given !== options.apiKey) {
      // vLLM's key check wraps its CORS middleware, so its 401 has no CORS headers (§5).
      if (profile.authHasCors) for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
      const { status, body: errorBody } = errorResponse(flavour, given === undefined ? 'key-missing' : 'key-refused');
      return sendJson(res, status, errorBody);
    }
    for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
    if (path === '/v1/chat/completions' && method === 'POST') return handleChat(deps, ctx);
    const info = routeInfo(flavour, method, path, parsed, { models, totalSlots: options.totalSlots ?? 4, listsCapabilities: options.listsCapabilities ?? false });
    if (info.text !== undefined) {
      res.writeHead(info.status, { 'Content-Type': info.contentType ?? 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(info.text) });
      return void res.end(info.text);
    }
    sendJson(res, info.status, info.body);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: String(error) });
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;

  return {
    flavour,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    requests,
    get activeChats() {
      return counts.active;
    },
    get peakChats() {
      return counts.peak;
    },
    get cancelled() {
      return counts.cancelled;
    },
    clearRequests: () => void requests.splice(0),
    setModels: (next) => void (models = [...next]),
    setReply: (reply) => void (deps.reply = toReplyFn(reply)),
    configure: (patch) => void Object.assign(tuning, patch),
    failNext: (spec = {}) => void deps.failNext.push(spec),
    failMidStream: (message, afterChunks = 1) => void deps.midStream.push({ message, afterChunks }),
    dropMidStream: (afterChunks = 1) => void deps.drops.push(afterChunks),
    hold: () => deps.gate.hold(),
    release: (n = 1) => deps.gate.release(n),
    releaseAll: () => deps.gate.releaseAll(),
    whenHeld: (n = 1) => deps.gate.whenWaiting(n),
    whenIdle: () => (counts.active === 0 ? Promise.resolve() : new Promise<void>((resolve) => void idleWaiters.push(resolve))),
    async close() {
      deps.gate.releaseAll();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await done;
    },
  };
}
