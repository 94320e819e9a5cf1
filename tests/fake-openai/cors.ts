// CORS as each server answers it (docs/openai-compatible.md §5). Node's fetch enforces none of it,
// so tests read these headers directly; a browser would refuse whatever lacks them.
import type { IncomingHttpHeaders } from 'node:http';
import { CorsPolicy } from '../fake-ollama/cors.ts';
import type { FakeFlavour } from './flavours.ts';

/** Starlette's allow_methods=["*"] expands to these (vLLM, LiteLLM). */
const STARLETTE_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';

export type Headers = Record<string, string | string[]>;

/** What happens before routing: answer a preflight, refuse outright, or go on with these headers. */
export type CorsOutcome =
  | { kind: 'pass'; headers: Headers }
  | { kind: 'answer'; status: number; headers: Headers; body: string; contentType?: string };

export interface CorsSettings {
  /** vLLM --allowed-origins, llama-server --cors-origins, LITELLM_CORS_ALLOW_ORIGINS, OLLAMA_ORIGINS extras. */
  origins?: readonly string[];
  /** LM Studio "Enable CORS" (off by default). */
  isLmStudioCorsOn?: boolean;
}

const isPreflight = (method: string, headers: IncomingHttpHeaders) => method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;

/** Starlette CORSMiddleware: vLLM (allow_credentials off) and LiteLLM (on). */
function starlette(method: string, headers: IncomingHttpHeaders, origins: readonly string[], hasCredentials: boolean): CorsOutcome {
  const origin = headers.origin;
  const isAll = origins.includes('*');
  if (!origin) return { kind: 'pass', headers: {} };
  const isAllowed = isAll || origins.includes(origin);
  if (isPreflight(method, headers)) {
    const out: Headers = { 'Access-Control-Allow-Methods': STARLETTE_METHODS, 'Access-Control-Max-Age': '600' };
    const explicit = !isAll || hasCredentials;
    if (explicit) out.Vary = 'Origin';
    else out['Access-Control-Allow-Origin'] = '*';
    if (hasCredentials) out['Access-Control-Allow-Credentials'] = 'true';
    // allow_headers=["*"]: the requested headers are mirrored, Authorization included.
    const requested = headers['access-control-request-headers'];
    if (requested) out['Access-Control-Allow-Headers'] = requested;
    if (!isAllowed) return { kind: 'answer', status: 400, headers: out, body: 'Disallowed CORS origin', contentType: 'text/plain; charset=utf-8' };
    if (explicit) out['Access-Control-Allow-Origin'] = origin;
    return { kind: 'answer', status: 200, headers: out, body: 'OK', contentType: 'text/plain; charset=utf-8' };
  }
  // A disallowed origin's simple request still runs; the answer just lacks the header.
  if (!isAllowed) return { kind: 'pass', headers: {} };
  const out: Headers = isAll ? { 'Access-Control-Allow-Origin': '*' } : { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  if (hasCredentials) out['Access-Control-Allow-Credentials'] = 'true';
  return { kind: 'pass', headers: out };
}

/** llama-server (server-http.cpp): echoes Origin on every response; OPTIONS → 200 with no key check. */
function llamaServer(method: string, headers: IncomingHttpHeaders, origins: readonly string[] | undefined): CorsOutcome {
  const origin = headers.origin;
  // Newer --cors-origins: only the listed origin(s) are echoed.
  const isAllowed = origin !== undefined && (origins === undefined || origins.includes(origin));
  const out: Headers = isAllowed ? { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true' } : {};
  if (method === 'OPTIONS') {
    return { kind: 'answer', status: 200, headers: { ...out, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': '*' }, body: '' };
  }
  return { kind: 'pass', headers: out };
}

/** LM Studio: no CORS headers unless enabled; then any origin (an Express-style cors()) [unverified]. */
function lmStudio(method: string, headers: IncomingHttpHeaders, path: string, isOn: boolean): CorsOutcome {
  if (!isOn) {
    // With CORS off the preflight is taken for a chat request and fails validation (#443).
    if (method === 'OPTIONS' && path === '/v1/chat/completions') {
      return { kind: 'answer', status: 400, headers: {}, body: JSON.stringify({ error: "'messages' field is required" }), contentType: 'application/json' };
    }
    return { kind: 'pass', headers: {} };
  }
  const out: Headers = { 'Access-Control-Allow-Origin': '*' };
  if (isPreflight(method, headers)) {
    out['Access-Control-Allow-Methods'] = 'GET,HEAD,PUT,PATCH,POST,DELETE';
    const requested = headers['access-control-request-headers'];
    if (requested) out['Access-Control-Allow-Headers'] = requested;
    return { kind: 'answer', status: 204, headers: out, body: '' };
  }
  return { kind: 'pass', headers: out };
}

/** Decide CORS for one request, as `flavour` would. */
export function createCors(flavour: FakeFlavour, settings: CorsSettings): (method: string, path: string, headers: IncomingHttpHeaders) => CorsOutcome {
  if (flavour === 'ollama-v1') {
    // Ollama /v1 sits behind the same gin-contrib/cors as the native API (fake-ollama's port of it).
    const policy = new CorsPolicy(settings.origins ?? []);
    return (method, _path, headers) => {
      const decision = policy.decide(method, headers.origin, headers.host);
      if (decision.kind === 'forbidden') return { kind: 'answer', status: 403, headers: {}, body: '' };
      if (decision.kind === 'preflight') return { kind: 'answer', status: 204, headers: decision.headers, body: '' };
      return { kind: 'pass', headers: decision.headers };
    };
  }
  if (flavour === 'llama-server') return (method, _path, headers) => llamaServer(method, headers, settings.origins);
  if (flavour === 'lmstudio') return (method, path, headers) => lmStudio(method, headers, path, settings.isLmStudioCorsOn ?? false);
  const origins = settings.origins ?? ['*'];
  return (method, _path, headers) => starlette(method, headers, origins, flavour === 'litellm');
}
