// POST /v1/chat/completions as each flavour answers it: validation with real statuses first, then
// a stream shaped per docs/openai-compatible.md §2 and §9 (role chunk, finish_reason placement,
// usage only when asked, error objects mid-stream, late headers).
import { randomUUID } from 'node:crypto';
import { sniffImage } from '../fake-ollama/images.ts';
import type { FakeImageInfo } from '../fake-ollama/images.ts';
import { PROFILES, errorResponse, streamErrorBody } from './flavours.ts';
import type { ErrorKind, FakeFlavour } from './flavours.ts';
import { SseWriter } from './sse.ts';
import { sendJson, sleep } from './state.ts';
import type { FailNextSpec, FakeChatRequest, FakeOpenAiModel, Gate, ReplyFn, ReplySpec, RequestContext, Tuning } from './state.ts';

/** What the chat handler needs from the server. */
export interface ChatDeps {
  flavour: FakeFlavour;
  models: () => readonly FakeOpenAiModel[];
  tuning: Tuning;
  gate: Gate;
  reply: ReplyFn | undefined;
  failNext: FailNextSpec[];
  midStream: { message: string; afterChunks: number }[];
  drops: number[];
  onStart(): void;
  onEnd(isCancelled: boolean): void;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// Ollama takes only these data URLs (openai/openai.go); the others decode what their image library knows.
const DATA_URL = /^data:image\/(jpeg|jpg|png|webp|gif);base64,(.*)$/s;

/** Split text into word-sized pieces, keeping the spaces. */
function pieces(spec: string | string[] | undefined): string[] {
  if (spec === undefined) return [];
  return Array.isArray(spec) ? spec : (spec.match(/\S+\s*|\s+/g) ?? []);
}

function toReply(spec: ReplySpec): { content: string[]; reasoning: string[]; logprobs: number[] } {
  if (typeof spec === 'string' || Array.isArray(spec)) return { content: pieces(spec), reasoning: [], logprobs: [] };
  return { content: pieces(spec.content), reasoning: pieces(spec.reasoning), logprobs: spec.logprobs ?? [] };
}

type Parsed = { error: ErrorKind; message?: string; model?: string } | { request: FakeChatRequest; model: FakeOpenAiModel };

/** Validate the body the way the flavour would, collecting prompt text and decoded images. */
function parseRequest(deps: ChatDeps, text: string): Parsed {
  const { flavour } = deps;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { error: 'bad-request', message: 'Invalid JSON body' };
  }
  if (!body || typeof body !== 'object' || !Array.isArray(body.messages)) {
    return { error: 'bad-request', message: flavour === 'lmstudio' ? "'messages' field is required" : 'messages is required' };
  }
  const models = deps.models();
  const asked = typeof body.model === 'string' ? body.model : '';
  const mode = PROFILES[flavour].ignoresModel;
  const model = mode === 'always' || (mode === 'one-loaded' && models.length === 1) ? models[0] : models.find((m) => m.id === asked);
  if (!model) return { error: 'model-not-found', model: asked };

  const texts: string[] = [];
  const images: FakeImageInfo[] = [];
  for (const message of body.messages as { content?: unknown }[]) {
    const content = message?.content;
    if (typeof content === 'string') texts.push(content);
    if (!Array.isArray(content)) continue;
    for (const part of content as Record<string, unknown>[]) {
      if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
      if (part?.type !== 'image_url') continue;
      const url = String((part.image_url as { url?: unknown } | undefined)?.url ?? '');
      if (flavour === 'ollama-v1' && /^https?:/.test(url)) {
        return { error: 'bad-image', message: 'image URLs are not currently supported, please use base64 encoded data instead' };
      }
      const match = DATA_URL.exec(url);
      const data = match?.[2] ?? '';
      if (!match || (flavour === 'ollama-v1' && match[1] === 'gif') || data.length % 4 !== 0 || !STRICT_BASE64.test(data)) {
        return { error: 'bad-image', model: model.id };
      }
      const info = sniffImage(Buffer.from(data, 'base64'), images.length);
      if (info.format === 'unknown') return { error: 'bad-image', model: model.id };
      images.push(info);
    }
  }
  if (images.length > 0 && model.vision === false) {
    // Ollama drops images for a text-only model; the others refuse them.
    if (flavour !== 'ollama-v1') return { error: 'no-vision', model: model.id };
    images.length = 0;
  }
  return { request: { model: model.id, prompt: texts.join('\n'), images, body }, model };
}

/** Answer one chat request; resolves when the response ended or was cut. */
export async function handleChat(deps: ChatDeps, ctx: RequestContext): Promise<void> {
  const { flavour, tuning } = deps;
  const { res, signal } = ctx;
  const profile = PROFILES[flavour];
  const fail = (kind: ErrorKind, detail: { model?: string; message?: string } = {}) => {
    const { status, body } = errorResponse(flavour, kind, detail);
    sendJson(res, status, body);
  };

  const parsed = parseRequest(deps, ctx.body);
  if ('error' in parsed) return fail(parsed.error, parsed);
  const { request } = parsed;
  const injected = deps.failNext.shift();
  if (injected?.kind === 'empty-stream') {
    res.writeHead(200, { 'Content-Type': PROFILES[flavour].contentType });
    return void res.end();
  }
  if (injected) {
    const fallback = errorResponse(flavour, injected.kind ?? 'server', { model: request.model, message: injected.message });
    return sendJson(res, injected.status ?? fallback.status, injected.body ?? fallback.body);
  }

  const reply = toReply((await deps.reply?.(request)) ?? `Fake reply from ${request.model} to ${request.images.length} image(s).`);
  const body = request.body;
  let finishReason = 'stop';
  const maxTokens = Number(body.max_tokens ?? body.max_completion_tokens);
  if (Number.isInteger(maxTokens) && maxTokens > 0 && reply.content.length > maxTokens) {
    reply.content.length = maxTokens;
    finishReason = 'length';
  }
  const usage = {
    prompt_tokens: Math.ceil(request.prompt.length / 4) + 10 + 256 * request.images.length,
    completion_tokens: reply.content.length + reply.reasoning.length,
    total_tokens: 0,
  };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  const id = `chatcmpl-${randomUUID().slice(0, 12)}`;
  const created = Math.floor(Date.now() / 1000);
  const wantsLogprobs = body.logprobs === true && profile.hasLogprobs;

  if (body.stream !== true) {
    await sleep(tuning.firstTokenDelayMs, signal);
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model: request.model,
      choices: [{ index: 0, message: { role: 'assistant', content: reply.content.join('') }, finish_reason: finishReason }],
      usage,
    });
  }

  const sse = new SseWriter(res, tuning, signal);
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id, object: 'chat.completion.chunk', created, model: request.model, choices, ...extra });
  const choice = (delta: Record<string, unknown>, finish: string | null = null, logprobs?: unknown) => ({
    index: 0,
    delta,
    ...(logprobs ? { logprobs } : {}),
    finish_reason: finish,
    ...(flavour === 'vllm' ? { stop_reason: null } : {}),
  });
  const logprobsOf = (text: string, i: number) => {
    const logprob = reply.logprobs[i - reply.reasoning.length] ?? -0.01 * (i + 1);
    return wantsLogprobs ? { content: [{ token: text, logprob, bytes: [...Buffer.from(text)], top_logprobs: [] }] } : undefined;
  };
  const startStream = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'Content-Type': profile.contentType, 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  };
  const mid = deps.midStream.shift();
  const drop = deps.drops.shift();
  const total = reply.reasoning.length + reply.content.length;

  deps.onStart();
  let isCancelled = false;
  try {
    // vLLM validates, then answers 200 at once; the others wait for the first token (§9.2).
    if (!profile.hasLateHeaders) {
      startStream();
      res.flushHeaders();
    }
    await sleep(tuning.firstTokenDelayMs, signal);
    let pending = tuning.hasPings ? sse.comment('ping') : '';
    if (profile.firstContent !== undefined) pending += sse.event(chunk([choice({ role: 'assistant', content: profile.firstContent })]));
    const events = [
      ...reply.reasoning.map((text) => ({ delta: { [profile.reasoningField]: text } as Record<string, unknown>, text, isContent: false })),
      ...reply.content.map((text) => ({ delta: { ...(flavour === 'ollama-v1' ? { role: 'assistant' } : {}), content: text }, text, isContent: true })),
    ];
    for (let i = 0; ; i++) {
      if (drop !== undefined && i === Math.min(drop, total)) return ctx.drop();
      if (mid && i === Math.min(mid.afterChunks, total)) {
        // Before the first token a late-header server still answers with a real status (§4).
        if (!res.headersSent) return fail('server', { message: mid.message });
        const tail =
          profile.midStreamError === 'empty-delta-then-close'
            ? sse.event(chunk([choice({ role: 'assistant', content: '' })]))
            : sse.event(streamErrorBody(flavour, mid.message)) + (profile.midStreamError === 'error-then-done' ? sse.event('[DONE]') : '');
        await sse.write(pending + tail);
        res.end();
        return;
      }
      if (i === total) break;
      if (!(await deps.gate.pass(signal))) return void (isCancelled = true);
      if (i > 0) await sleep(tuning.chunkDelayMs, signal);
      if (signal.aborted) return void (isCancelled = true);
      const event = events[i]!;
      const isLast = i === total - 1;
      const finishHere = isLast && !profile.hasOwnFinishChunk && event.isContent ? finishReason : null;
      const text = sse.event(chunk([choice(event.delta, finishHere, event.isContent ? logprobsOf(event.text, i) : undefined)]));
      startStream();
      if (tuning.isPacked) {
        // The role chunk rides with the first token, the last token with finish, usage and [DONE].
        pending += text;
        if (isLast && !mid && drop === undefined) break;
      } else {
        await sse.write(pending);
        pending = text;
      }
      if (tuning.hasPings && i % 2 === 1) pending += sse.comment('ping');
      await sse.write(pending);
      pending = '';
    }
    if (profile.hasOwnFinishChunk || reply.content.length === 0) {
      const timings = flavour === 'llama-server' ? { timings: { prompt_n: usage.prompt_tokens, prompt_ms: 12.5, predicted_n: usage.completion_tokens, predicted_ms: 40 } } : {};
      pending += sse.event(chunk([choice({}, finishReason)], timings));
    }
    // Usage only when asked, in a chunk with `choices: []` (§2, §9.4).
    const options = body.stream_options as { include_usage?: unknown } | undefined;
    if (options?.include_usage === true) pending += sse.event(chunk([], { usage }));
    pending += sse.event('[DONE]');
    startStream();
    await sse.write(pending);
    res.end();
  } finally {
    if (signal.aborted) isCancelled = true;
    deps.onEnd(isCancelled);
  }
}
