// POST /api/chat, in the order Ollama's ChatHandler does things (server/routes.go):
// decode → model lookup → unload → think check → load (scheduleRunner) → `messages: []` answer →
// runner queue → image decode in the runner → stream. Status and headers go out with the first
// chunk only, so `await fetch()` waits for the load, the queue and the first token.
import { goBase64Decode, goCheckFields, goDecode, goJson, goKeepAlive, goTime, jsonKind, nowNs } from './go.ts';
import { describeImage, sniffImage } from './images.ts';
import type { FakeImageInfo } from './images.ts';
import { isValidModelName } from './models.ts';
import type { ModelRecord } from './models.ts';
import { sendJson, sleep, writeOut } from './state.ts';
import type { ChatBody, FakeChatRequest, FakeState, ReplySpec, RequestContext } from './state.ts';

export const UNKNOWN_FORMAT = 'Failed to create new sequence: failed to process inputs: image: unknown format';
export const RUNNER_STOPPED =
  'model runner has unexpectedly stopped, this may be due to resource limitations or an internal error, check ollama server logs for details';
export const SERVER_BUSY = 'server busy, please try again.  maximum pending requests exceeded';

/**
 * Ollama's check of `format` before generating (llm/server.go Completion): unset, null or "" is no
 * format, "json" is JSON mode, an object is a JSON Schema; anything else fails before any chunk.
 * A schema whose `type` is not a type name cannot become a grammar.
 */
export function checkFormat(format: unknown): string | undefined {
  if (format === undefined || format === null || format === '' || format === 'json') return undefined;
  if (typeof format !== 'object' || Array.isArray(format)) {
    // fmt's %q of the raw JSON bytes.
    return `invalid format: ${JSON.stringify(JSON.stringify(format))}; expected "json" or a valid JSON Schema object`;
  }
  const type = (format as Record<string, unknown>)['type'];
  if (type !== undefined && typeof type !== 'string' && !Array.isArray(type)) return 'invalid JSON schema in format';
  return undefined;
}

/** What a model held to a schema writes: each property filled with a placeholder of its type. */
export function replyForSchema(schema: Record<string, unknown>): string {
  const sample = (s: unknown): unknown => {
    const node = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
    const type = Array.isArray(node['type']) ? node['type'][0] : node['type'];
    if (Array.isArray(node['enum'])) return node['enum'][0];
    if (type === 'object') {
      const properties = (node['properties'] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, sample(v)]));
    }
    if (type === 'array') return [sample(node['items'])];
    if (type === 'boolean') return false;
    if (type === 'number' || type === 'integer') return 1;
    if (type === 'null') return null;
    return 'Fake value';
  };
  return JSON.stringify(sample(schema));
}

type Decoded = { error: string } | { req: ChatBody; images: Buffer[]; keepAliveMs: number };

/** Type errors inside `messages`, and every image's base64, checked as encoding/json would. */
function checkMessages(value: unknown, images: Buffer[]): string | undefined {
  const field = (kind: string, name: string, type: string) =>
    `json: cannot unmarshal ${kind} into Go struct field Message.messages.${name} of type ${type}`;
  if (!Array.isArray(value)) return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ChatRequest.messages of type []api.Message`;
  for (const m of value as unknown[]) {
    if (m === null) continue;
    if (typeof m !== 'object' || Array.isArray(m)) {
      return `json: cannot unmarshal ${jsonKind(m)} into Go struct field ChatRequest.messages of type api.Message`;
    }
    for (const [key, v] of Object.entries(m as Record<string, unknown>)) {
      if (v === null) continue;
      if (['role', 'content', 'thinking'].includes(key) && typeof v !== 'string') return field(jsonKind(v), key, 'string');
      if (key !== 'images') continue;
      if (!Array.isArray(v)) return field(jsonKind(v), 'images', '[]api.ImageData');
      for (const img of v as unknown[]) {
        if (img === null) continue;
        if (typeof img !== 'string') return field(jsonKind(img), 'images', 'api.ImageData');
        // ImageData is []byte: encoding/json base64-decodes it while parsing the body.
        const decoded = goBase64Decode(img);
        if (!decoded.ok) return decoded.error;
        images.push(decoded.bytes);
      }
    }
  }
  return undefined;
}

function checkThink(v: unknown): string | undefined {
  if (typeof v === 'boolean') return undefined;
  if (typeof v === 'string') {
    return ['high', 'medium', 'low'].includes(v)
      ? undefined
      : `invalid think value: ${JSON.stringify(v)} (must be "high", "medium", "low", true, or false)`;
  }
  return 'think must be a boolean or string ("high", "medium", "low", true, or false)';
}

/** Fields ChatRequest knows besides messages, think and keep_alive; logprobs only from 0.12.11. */
const CHAT_FIELDS = { model: 'string', stream: 'bool', options: 'map' } as const;
const LOGPROBS_FIELDS = { ...CHAT_FIELDS, logprobs: 'bool', top_logprobs: 'int' } as const;

function decodeChat(body: string, defaultKeepAliveMs: number, hasLogprobs: boolean): Decoded {
  const decoded = goDecode(body);
  if (!decoded.ok) return { error: decoded.eof ? 'missing request body' : decoded.error };
  const value = decoded.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { error: `json: cannot unmarshal ${jsonKind(value)} into Go value of type api.ChatRequest` };
  }
  const images: Buffer[] = [];
  let keepAliveMs = defaultKeepAliveMs;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) continue;
    let error: string | undefined;
    if (key === 'messages') error = checkMessages(v, images);
    else if (key === 'think') error = checkThink(v);
    else if (key === 'keep_alive') {
      const ka = goKeepAlive(v, defaultKeepAliveMs);
      if ('error' in ka) error = ka.error;
      else keepAliveMs = ka.ms;
    } else error = goCheckFields({ [key]: v }, 'ChatRequest', hasLogprobs ? LOGPROBS_FIELDS : CHAT_FIELDS);
    if (error) return { error };
  }
  return { req: value as ChatBody, images, keepAliveMs };
}

/** The default reply: names the images and echoes the prompt, so tests can tell replies apart. */
export function defaultReply(req: FakeChatRequest, images: FakeImageInfo[], model: ModelRecord): string {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
  const words = (lastUser?.content ?? '').split(/\s+/).filter(Boolean).slice(0, 8).join(' ');
  if (images.length === 0) return `Reply from ${model.name}: ${words}`;
  return ['# Text from image', '', ...images.map((i) => `Image ${i.index + 1}: ${describeImage(i)}`), '', `Prompt: ${words}`].join('\n');
}

type Piece = { field: 'content' | 'thinking'; text: string; logprob: number };

/** A token's log-probability when the reply spec gives none: a sure token. */
export const DEFAULT_LOGPROB = -0.01;

/** Split text into token-sized pieces (a word or up to 6 characters, leading space attached). */
export function chunkText(text: string): string[] {
  return text.match(/\s*\S{1,6}|\s+/gu) ?? [];
}

function toPieces(spec: ReplySpec, thinking: boolean): Piece[] {
  const chunks = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : chunkText(v));
  if (typeof spec === 'string' || Array.isArray(spec)) {
    // A thinking model answers in message.thinking and leaves content empty unless think:false.
    return chunks(spec).map((text) => ({ field: thinking ? 'thinking' : 'content', text, logprob: DEFAULT_LOGPROB }));
  }
  const thought: Piece[] = thinking ? chunks(spec.thinking).map((text) => ({ field: 'thinking', text, logprob: DEFAULT_LOGPROB })) : [];
  const content = chunks(spec.content).map((text, i): Piece => ({ field: 'content', text, logprob: spec.logprobs?.[i] ?? DEFAULT_LOGPROB }));
  return [...thought, ...content];
}

/** One token's entry in a chunk's `logprobs` (api.Logprob), with `top_logprobs` when asked for. */
function logprobEntry(p: Piece, top: number) {
  const token = { token: p.text, logprob: p.logprob, bytes: [...Buffer.from(p.text, 'utf8')] };
  if (top <= 0) return token;
  // The sampled token first, then made-up runners-up, each less likely.
  const others = Array.from({ length: top - 1 }, (_, i) => ({ token: `alt${i + 1}`, logprob: p.logprob - (i + 1), bytes: [...Buffer.from(`alt${i + 1}`)] }));
  return { ...token, top_logprobs: [token, ...others] };
}

/** Metrics with zero values dropped, as Go's omitempty does. */
function metrics(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== 0));
}

const expiry = (ms: number) => (Number.isFinite(ms) ? Date.now() + ms : Infinity);

export async function handleChat(state: FakeState, ctx: RequestContext): Promise<void> {
  const { res, signal } = ctx;
  const t0 = nowNs();
  const json = (status: number, body: unknown, type?: string) => sendJson(res, status, goJson(body), type);
  const decoded = decodeChat(ctx.body, state.tuning.keepAliveMs, state.hasLogprobs);
  if ('error' in decoded) return json(400, { error: decoded.error });
  const { req, images, keepAliveMs } = decoded;
  const name = typeof req.model === 'string' ? req.model : '';
  if (name.trim() === '' || !isValidModelName(name)) return json(400, { error: 'model is required' });
  const model = state.findModel(name);
  if (!model) return json(404, { error: `model '${name}' not found` });
  const messages = req.messages ?? [];
  const loadAnswer = (reason: string) => ({
    model: name,
    created_at: goTime(),
    message: { role: 'assistant', content: '' },
    done_reason: reason,
    done: true,
  });

  if (messages.length === 0 && keepAliveMs === 0) {
    state.loaded.delete(model.key);
    return json(200, loadAnswer('unload'));
  }

  // Current Ollama rejects only a truthy think on a non-thinking model; thinkCheck 'any' (the
  // default) also rejects think:false, as some versions did. An old server (capabilities null)
  // did not know the field and ignores it.
  const think = req.think ?? undefined;
  if (model.capabilities !== null && !model.thinking && think !== undefined) {
    if (state.tuning.thinkCheck === 'any' || think !== false) {
      return json(400, { error: `${JSON.stringify(name)} does not support thinking` });
    }
  }
  const thinking = model.thinking && think !== false;

  if (messages.length > 0) {
    const fail = state.takeFailNext('/api/chat');
    if (fail) {
      await sleep(fail.afterMs ?? 0, signal);
      if (signal.aborted) return ctx.cancelled();
      return json(fail.status, { error: fail.error });
    }
  }

  // scheduleRunner: loading a model that is not in memory takes a while.
  if (!state.isLoaded(model.key)) await sleep(state.tuning.loadDelayMs, signal);
  if (signal.aborted) return ctx.cancelled();
  state.loaded.set(model.key, expiry(keepAliveMs));
  const tLoaded = nowNs();
  if (messages.length === 0) return json(200, loadAnswer('load'));

  if (state.queued >= state.tuning.maxQueue) return json(503, { error: SERVER_BUSY });
  if (!(await state.acquireSlot(signal))) return ctx.cancelled();
  ctx.served();
  try {
    await generate(state, ctx, { req, name, model, images, thinking, t0, tLoaded });
  } finally {
    state.loaded.set(model.key, expiry(keepAliveMs));
    state.releaseSlot();
  }
}

/** The tidy view of the body handed to reply functions. */
function forReply(body: ChatBody, model: string): FakeChatRequest {
  const { messages, stream, think, options, keep_alive, format } = body;
  return {
    ...(body as Record<string, unknown>),
    model,
    messages: (messages ?? []).filter((m) => m !== null).map(({ images, ...m }) => ({
      ...m,
      role: m.role ?? '',
      content: m.content ?? '',
      ...(images ? { images: images.filter((i): i is string => typeof i === 'string') } : {}),
    })),
    stream: stream ?? undefined,
    think: think ?? undefined,
    options: options ?? undefined,
    keep_alive: keep_alive ?? undefined,
    format,
    body,
  };
}

interface GenerateArgs {
  req: ChatBody;
  name: string;
  model: ModelRecord;
  images: Buffer[];
  thinking: boolean;
  t0: bigint;
  tLoaded: bigint;
}

async function generate(state: FakeState, ctx: RequestContext, a: GenerateArgs): Promise<void> {
  const { res, signal } = ctx;
  const { tuning } = state;
  const tSlot = nowNs();
  const streaming = a.req.stream !== false;
  // streamResponse sets Content-Type: application/json before an error that precedes any chunk.
  const failEarly = (status: number, error: string) =>
    sendJson(res, status, goJson({ error }), streaming ? 'application/json' : undefined);

  // Text-only models silently drop images; vision runners decode them and fail on odd formats.
  const infos = a.model.vision ? a.images.map((b, i) => sniffImage(b, i)) : [];
  for (const info of infos) {
    if (!tuning.imageFormats.includes(info.format)) return failEarly(500, UNKNOWN_FORMAT);
    const min = a.model.spec.minImageSide;
    if (min !== undefined && info.width !== undefined && info.height !== undefined && Math.min(info.width, info.height) < min) {
      return failEarly(500, RUNNER_STOPPED);
    }
  }

  const formatError = checkFormat(a.req.format);
  if (formatError) return failEarly(500, formatError);

  let spec: ReplySpec;
  try {
    const request = forReply(a.req, a.name);
    const format = a.req.format;
    spec = state.reply
      ? await state.reply(request, { images: infos, model: a.model, thinking: a.thinking })
      : typeof format === 'object' && format !== null
        ? replyForSchema(format as Record<string, unknown>)
        : defaultReply(request, infos, a.model);
  } catch (error) {
    return failEarly(500, error instanceof Error ? error.message : String(error));
  }
  const pieces = toPieces(spec, a.thinking);
  let doneReason = 'stop';
  const limit = Number(a.req.options?.num_predict);
  if (Number.isInteger(limit) && limit > 0 && pieces.length > limit) {
    pieces.length = limit;
    doneReason = 'length';
  }

  const mid = state.midStreamQueue.shift();
  const drop = state.dropQueue.shift();
  const promptChars = (a.req.messages ?? []).reduce((n, m) => n + (m?.content?.length ?? 0), 0);
  let tFirst: bigint | undefined;
  const final = () => {
    const end = nowNs();
    const first = tFirst ?? end;
    return metrics({
      total_duration: Number(end - a.t0),
      load_duration: Number(a.tLoaded - a.t0),
      prompt_eval_count: Math.ceil(promptChars / 4) + 10 + 256 * infos.length,
      prompt_eval_duration: Number(first - tSlot),
      eval_count: pieces.length,
      eval_duration: Number(end - first),
    });
  };
  const message = (p?: Piece) => ({
    role: 'assistant',
    content: p?.field === 'content' ? p.text : '',
    ...(p?.field === 'thinking' ? { thinking: p.text } : {}),
  });
  // ChatResponse puts `logprobs` last (after the metrics), omitted when empty; only when asked, on 0.12.11+.
  const wantsLogprobs = state.hasLogprobs && a.req.logprobs === true;
  const top = Math.min(20, Math.max(0, Number(a.req.top_logprobs) || 0));
  const logprobs = (list: Piece[]) => (wantsLogprobs && list.length > 0 ? { logprobs: list.map((p) => logprobEntry(p, top)) } : {});
  const chunkLine = (p: Piece) => `${goJson({ model: a.name, created_at: goTime(), message: message(p), done: false, ...logprobs([p]) })}\n`;
  const doneLine = () =>
    `${goJson({ model: a.name, created_at: goTime(), message: message(), done_reason: doneReason, done: true, ...final() })}\n`;

  const stallAfter = typeof spec === 'object' && !Array.isArray(spec) ? spec.stallAfter : undefined;
  for (let i = 0; ; i++) {
    if (drop !== undefined && i === Math.min(drop, pieces.length)) return ctx.drop();
    if (i === stallAfter) {
      // A stuck model: the connection stays open with nothing more on it until the client closes it.
      if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      return ctx.cancelled();
    }
    if (mid && i === Math.min(mid.afterChunks, pieces.length)) {
      // Before the first chunk the error still gets a real status; after it, one more line
      // {"error":…} on the 200 stream and the stream ends without done:true.
      if (!streaming || !res.headersSent) return failEarly(500, mid.error);
      res.end(`${goJson({ error: mid.error })}\n`);
      return;
    }
    if (i === pieces.length) break;
    if (!(await state.gate(signal))) return ctx.cancelled();
    await sleep(i === 0 ? tuning.firstChunkDelayMs : tuning.chunkDelayMs, signal);
    if (signal.aborted) return ctx.cancelled();
    tFirst ??= nowNs();
    if (!streaming) continue;
    // The last token and the done line often share a network read: send them in one write.
    const last = i === pieces.length - 1 && drop === undefined && !mid;
    if (!res.headersSent) res.setHeader('Content-Type', 'application/x-ndjson');
    await writeOut(res, chunkLine(pieces[i]!) + (last ? doneLine() : ''), i % 2 === 0 || last, tuning, signal);
    if (signal.aborted) return ctx.cancelled();
    if (last) {
      res.end();
      return;
    }
  }

  if (pieces.length === 0) {
    await sleep(tuning.firstChunkDelayMs, signal);
    if (signal.aborted) return ctx.cancelled();
  }
  if (streaming) {
    if (!res.headersSent) res.setHeader('Content-Type', 'application/x-ndjson');
    await writeOut(res, doneLine(), true, tuning, signal);
    if (signal.aborted) return ctx.cancelled();
    res.end();
    return;
  }
  const text = (field: Piece['field']) => pieces.filter((p) => p.field === field).map((p) => p.text).join('');
  const thought = text('thinking');
  sendJson(
    res,
    200,
    goJson({
      model: a.name,
      created_at: goTime(),
      message: { role: 'assistant', content: text('content'), ...(thought ? { thinking: thought } : {}) },
      done_reason: doneReason,
      done: true,
      ...final(),
      ...logprobs(pieces),
    }),
  );
}
