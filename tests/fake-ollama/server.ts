/// <reference types="node" />
// A fake Ollama for tests, as awkward as the real one (see docs/ollama-api.md):
// gin-contrib/cors rules with bare 403s, headers only with the first chunk, NDJSON lines split
// across reads, errors as a last line on a 200 stream, one generation at a time, Go's error
// texts. Only node:http.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleChat } from './chat.ts';
import { CorsPolicy, checkHost } from './cors.ts';
import { goCheckFields, goDecode, goJson, goKeepAlive, jsonKind } from './go.ts';
import { DEFAULT_MODELS, DEFAULT_PULLABLE, psEntry, showResponse, tagEntry } from './models.ts';
import type { FakeModel } from './models.ts';
import { handlePull } from './pull.ts';
import { FakeState, sendJson, sleep } from './state.ts';
import type { FailNextSpec, ReplyFn, ReplySpec, RequestContext, Tuning } from './state.ts';

export { DEFAULT_MODELS, DEFAULT_PULLABLE } from './models.ts';
export type { FakeModel } from './models.ts';
export type { FakeImageInfo } from './images.ts';
export type { FailNextSpec, FakeChatRequest, ReplyContext, ReplyFn, ReplySpec, Tuning } from './state.ts';
export { RUNNER_STOPPED, SERVER_BUSY, UNKNOWN_FORMAT } from './chat.ts';
export { MANIFEST_MISSING } from './pull.ts';
export { ALLOW_HEADERS, ALLOW_METHODS, DEFAULT_ORIGINS } from './cors.ts';

export interface FakeOllamaOptions extends Partial<Omit<Tuning, 'keepAliveMs'>> {
  /** 0 = a free port (default). */
  port?: number;
  /** Default '127.0.0.1' (a loopback bind turns on Ollama's Host-header guard). */
  host?: string;
  /** Installed models, newest first. Default DEFAULT_MODELS. */
  models?: readonly FakeModel[];
  /** Names /api/pull can fetch. Default DEFAULT_PULLABLE. */
  pullable?: readonly (string | FakeModel)[];
  /** OLLAMA_ORIGINS entries, added to the defaults; '*' allows every origin. */
  origins?: readonly string[];
  /** GET /api/version. Default '0.12.6'. */
  version?: string;
  /** OLLAMA_KEEP_ALIVE: how long a model stays loaded (Go duration or seconds). Default '5m'. */
  keepAlive?: string | number;
  /** Initial reply; see setReply. */
  reply?: ReplyFn | ReplySpec;
}

export interface RecordedRequest {
  method: string;
  path: string;
  origin: string | undefined;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON, or undefined (no body, or not JSON). */
  body: unknown;
  time: number;
  /** Response status once the response finished (undefined if the connection was cut). */
  status?: number;
  /**
   * When a chat got the model's generation slot (OLLAMA_NUM_PARALLEL); undefined for one closed
   * while it still waited in the queue, which the model never saw.
   */
  servedAt?: number;
}

export interface FakeOllama {
  /** http://HOST:PORT, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly listening: boolean;
  /** Every request received, in order (a live array). */
  readonly requests: RecordedRequest[];
  /** Chat requests the client abandoned (closed the connection) before the answer ended. */
  readonly cancelled: number;
  readonly pullsCancelled: number;
  /** Chats generating now / waiting for the generation slot / waiting on hold(). */
  readonly activeChats: number;
  readonly queuedChats: number;
  readonly heldStreams: number;
  modelNames(): string[];
  loadedModels(): string[];
  clearRequests(): void;
  setModels(models: readonly FakeModel[]): void;
  /** Reply text (chunked for you), exact chunks, or a function of the request; undefined = default. */
  setReply(reply: ReplyFn | ReplySpec | undefined): void;
  /** Change delays, parallelism etc. while running. */
  configure(patch: Partial<Tuning>): void;
  /** One-shot, queued: the next matching request fails with this status and {"error"}. */
  failNext(spec: FailNextSpec): void;
  /** One-shot: the next chat writes `afterChunks` chunks, then an {"error"} line, and ends. */
  failMidStream(error: string, afterChunks?: number): void;
  /** One-shot: the next chat's socket is destroyed after `afterChunks` chunks. */
  dropMidStream(afterChunks?: number): void;
  clearFailures(): void;
  /** From now on each chat chunk waits for release(); releaseAll() ends holding. */
  hold(): void;
  release(n?: number): void;
  releaseAll(): void;
  /** Resolves once at least n chat streams are waiting on hold(). */
  whenHeld(n?: number): Promise<void>;
  /** Resolves once no chat is generating or queued. */
  whenIdle(): Promise<void>;
  /** Close the port and cut every connection, like Ollama quitting. */
  stop(): Promise<void>;
  /** Listen again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

const ROUTES: Record<string, string[]> = {
  '/': ['GET', 'HEAD'],
  '/api/version': ['GET', 'HEAD'],
  '/api/tags': ['GET', 'HEAD'],
  '/api/ps': ['GET'],
  '/api/show': ['POST'],
  '/api/chat': ['POST'],
  '/api/pull': ['POST'],
};

function keepAliveMs(value: string | number | undefined): number {
  const parsed = goKeepAlive(value, 5 * 60_000);
  if ('error' in parsed) throw new Error(`OLLAMA_KEEP_ALIVE: ${parsed.error}`);
  return parsed.ms;
}

function toReplyFn(reply: ReplyFn | ReplySpec | undefined): ReplyFn | undefined {
  if (reply === undefined || typeof reply === 'function') return reply;
  return () => reply;
}

function bare(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': '0' });
  res.end();
}

function text(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** True when a version like "0.12.11" or "0.13.0-rc1" is at least `least`. */
function isVersionAtLeast(version: string, least: readonly number[]): boolean {
  const parts = (/^v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1) ?? []).map(Number);
  for (const [i, want] of least.entries()) {
    const have = parts[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const host = options.host ?? '127.0.0.1';
  const version = options.version ?? '0.12.6';
  const cors = new CorsPolicy(options.origins ?? []);
  const state = new FakeState(
    {
      chunkDelayMs: options.chunkDelayMs ?? 5,
      firstChunkDelayMs: options.firstChunkDelayMs ?? 10,
      loadDelayMs: options.loadDelayMs ?? 0,
      pullDelayMs: options.pullDelayMs ?? 5,
      splitDelayMs: options.splitDelayMs ?? 3,
      splitLines: options.splitLines ?? true,
      parallel: options.parallel ?? 1,
      maxQueue: options.maxQueue ?? 512,
      keepAliveMs: keepAliveMs(options.keepAlive),
      thinkCheck: options.thinkCheck ?? 'any',
      imageFormats: options.imageFormats ?? ['jpeg', 'png'],
    },
    options.models ?? DEFAULT_MODELS,
    options.pullable ?? DEFAULT_PULLABLE,
  );
  state.reply = toReplyFn(options.reply);
  state.hasLogprobs = isVersionAtLeast(version, [0, 12, 11]);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const live = new Set<{ byServer: boolean }>();
  let port = options.port ?? 0;
  let closed = false;

  async function route(path: string, method: string, ctx: RequestContext): Promise<void> {
    const { res } = ctx;
    const json = (status: number, body: unknown) => sendJson(res, status, goJson(body));
    if (path !== '/api/chat') {
      const fail = state.takeFailNext(path);
      if (fail) {
        await sleep(fail.afterMs ?? 0, ctx.signal);
        return json(fail.status, { error: fail.error });
      }
    }
    switch (path) {
      case '/':
        return text(res, 200, 'Ollama is running');
      case '/api/version':
        return json(200, { version });
      case '/api/tags':
        return json(200, { models: state.listModels().map(tagEntry) });
      case '/api/ps': {
        const models = state
          .listModels()
          .filter((m) => state.isLoaded(m.key))
          .map((m) => psEntry(m, state.loaded.get(m.key)!))
          .sort((a, b) => b.expires_at.localeCompare(a.expires_at));
        return json(200, { models });
      }
      case '/api/show':
        return show(ctx);
      case '/api/chat':
        return handleChat(state, ctx);
      case '/api/pull':
        return handlePull(state, ctx);
    }
  }

  function show(ctx: RequestContext): void {
    const json = (status: number, body: unknown) => sendJson(ctx.res, status, goJson(body));
    const decoded = goDecode(ctx.body);
    if (!decoded.ok) return json(400, { error: decoded.eof ? 'missing request body' : decoded.error });
    const body = decoded.value ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      return json(400, { error: `json: cannot unmarshal ${jsonKind(body)} into Go value of type api.ShowRequest` });
    }
    const req = body as Record<string, unknown>;
    const typeError = goCheckFields(req, 'ShowRequest', { model: 'string', name: 'string', system: 'string', verbose: 'bool', options: 'map' });
    if (typeError) return json(400, { error: typeError });
    // ShowHandler accepts the deprecated "name" too.
    const name = (req.model as string | undefined) || (req.name as string | undefined) || '';
    if (!name) return json(400, { error: 'model is required' });
    const record = state.findModel(name);
    if (!record) return json(404, { error: `model '${name}' not found` });
    json(200, showResponse(record));
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => {});
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const origin = req.headers.origin;
    let parsed: unknown;
    try {
      parsed = body ? JSON.parse(body) : undefined;
    } catch {
      parsed = undefined;
    }
    const record: RecordedRequest = { method, path, origin, headers: req.headers, body: parsed, time: Date.now() };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));

    const controller = new AbortController();
    const flags = { byServer: false };
    live.add(flags);
    res.on('close', () => {
      live.delete(flags);
      if (!res.writableFinished) controller.abort();
    });
    const ctx: RequestContext = {
      res,
      body,
      signal: controller.signal,
      drop() {
        flags.byServer = true;
        res.socket?.destroy();
      },
      served() {
        record.servedAt = Date.now();
      },
      cancelled(kind = 'chat') {
        if (flags.byServer) return;
        if (kind === 'chat') state.cancelled++;
        else state.pullsCancelled++;
        state.changed();
      },
    };

    // gin redirects a trailing slash before any middleware runs (301 for GET, 307 otherwise).
    const trimmed = path.replace(/\/+$/, '');
    if (path !== '/' && trimmed !== path && ROUTES[trimmed]?.includes(method)) {
      res.writeHead(method === 'GET' ? 301 : 307, { Location: trimmed, 'Content-Length': '0' });
      return void res.end();
    }
    const decision = cors.decide(method, origin, req.headers.host);
    if (decision.kind === 'forbidden') return bare(res, 403);
    for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value);
    if (decision.kind === 'preflight') return bare(res, 204);
    const hostCheck = checkHost(host, req.headers.host, method);
    if (hostCheck === 'forbidden') return bare(res, 403);
    if (hostCheck === 'no-content') return bare(res, 204);

    const methods = ROUTES[path];
    if (!methods) return text(res, 404, '404 page not found', 'text/plain');
    if (!methods.includes(method)) return text(res, 405, '405 method not allowed', 'text/plain');
    await route(path, method, ctx);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, goJson({ error: String(error) }));
      else res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const address = server.address();
        if (address && typeof address === 'object') port = address.port;
        resolve();
      });
    });
  }

  async function stop(): Promise<void> {
    if (!server.listening) return;
    const done = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const flags of live) flags.byServer = true;
    for (const socket of sockets) socket.destroy();
    await done;
  }

  await listen();

  return {
    get url() {
      return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    },
    get port() {
      return port;
    },
    get listening() {
      return server.listening;
    },
    requests,
    get cancelled() {
      return state.cancelled;
    },
    get pullsCancelled() {
      return state.pullsCancelled;
    },
    get activeChats() {
      return state.running;
    },
    get queuedChats() {
      return state.queued;
    },
    get heldStreams() {
      return state.heldStreams;
    },
    modelNames: () => state.listModels().map((m) => m.name),
    loadedModels: () => state.listModels().filter((m) => state.isLoaded(m.key)).map((m) => m.name),
    clearRequests: () => void requests.splice(0),
    setModels: (models) => state.setModels(models),
    setReply: (reply) => void (state.reply = toReplyFn(reply)),
    configure: (patch) => void Object.assign(state.tuning, patch),
    failNext: (spec) => void state.failNextQueue.push(spec),
    failMidStream: (error, afterChunks = 1) => void state.midStreamQueue.push({ error, afterChunks }),
    dropMidStream: (afterChunks = 1) => void state.dropQueue.push(afterChunks),
    clearFailures() {
      state.failNextQueue.splice(0);
      state.midStreamQueue.splice(0);
      state.dropQueue.splice(0);
    },
    hold: () => state.hold(),
    release: (n = 1) => state.release(n),
    releaseAll: () => state.releaseAll(),
    whenHeld: (n = 1) => state.waitUntil(() => state.heldStreams >= n),
    whenIdle: () => state.waitUntil(() => state.running === 0 && state.queued === 0),
    stop,
    async start() {
      if (closed) throw new Error('fake Ollama was closed');
      if (!server.listening) await listen();
    },
    async close() {
      closed = true;
      state.releaseAll();
      await stop();
    },
  };
}
