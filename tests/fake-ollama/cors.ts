// CORS and Host checks, ported from what Ollama runs before any route: gin-contrib/cors v1.7.2
// (configured in server/routes.go GenerateRoutes) then allowedHostsMiddleware.
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** envconfig.AllowedOrigins() defaults, added after OLLAMA_ORIGINS. */
export const DEFAULT_ORIGINS: readonly string[] = [
  ...['localhost', '127.0.0.1', '0.0.0.0'].flatMap((h) => [
    `http://${h}`,
    `https://${h}`,
    `http://${h}:*`,
    `https://${h}:*`,
  ]),
  'app://*',
  'file://*',
  'tauri://*',
  'vscode-webview://*',
];

/** Ollama's AllowHeaders, canonicalised and comma-joined (no spaces) by gin-contrib/cors. */
export const ALLOW_HEADERS = [
  'Authorization',
  'Content-Type',
  'User-Agent',
  'Accept',
  'X-Requested-With',
  'X-Stainless-Lang',
  'X-Stainless-Package-Version',
  'X-Stainless-Os',
  'X-Stainless-Arch',
  'X-Stainless-Retry-Count',
  'X-Stainless-Runtime',
  'X-Stainless-Runtime-Version',
  'X-Stainless-Async',
  'X-Stainless-Helper-Method',
  'X-Stainless-Poll-Helper',
  'X-Stainless-Custom-Poll-Interval',
  'X-Stainless-Timeout',
].join(',');
export const ALLOW_METHODS = 'GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS';
export const MAX_AGE = '43200'; // 12h, cors.DefaultConfig()

const SCHEMAS = ['http://', 'https://', 'chrome-extension://', 'safari-extension://', 'moz-extension://', 'ms-browser-extension://'];

export type CorsDecision =
  | { kind: 'pass'; headers: Record<string, string | string[]> }
  | { kind: 'forbidden' }
  | { kind: 'preflight'; headers: Record<string, string | string[]> };

export class CorsPolicy {
  readonly #allowAll: boolean;
  readonly #exact: Set<string>;
  readonly #wildcards: [string, string][] = [];

  /**
   * `extra` is OLLAMA_ORIGINS split on commas. Like Ollama, a bad entry stops the server from
   * starting (gin-contrib/cors panics): more than one `*`, or no `*` and no http(s):// scheme.
   */
  constructor(extra: readonly string[]) {
    const origins = [...extra.flatMap((o) => o.split(',')), ...DEFAULT_ORIGINS];
    for (const o of origins) {
      if (!o.includes('*') && !SCHEMAS.some((s) => o.startsWith(s))) {
        throw new Error(`bad origin: origins must contain '*' or include ${SCHEMAS.join(',')}`);
      }
    }
    this.#allowAll = origins.includes('*');
    // Exact entries are trimmed and lower-cased; wildcard rules use the raw text.
    this.#exact = new Set(origins.map((o) => o.trim().toLowerCase()));
    for (const o of origins) {
      if (!o.includes('*')) continue;
      if (o.split('*').length > 2) throw new Error('only one * is allowed');
      const i = o.indexOf('*');
      if (i === 0) this.#wildcards.push(['*', o.slice(1)]);
      else if (i === o.length - 1) this.#wildcards.push([o.slice(0, i), '*']);
      else this.#wildcards.push([o.slice(0, i), o.slice(i + 1)]);
    }
  }

  #allowed(origin: string): boolean {
    if (this.#allowAll || this.#exact.has(origin)) return true;
    return this.#wildcards.some(
      ([pre, post]) =>
        (pre === '*' && origin.endsWith(post)) ||
        (post === '*' && origin.startsWith(pre)) ||
        (origin.startsWith(pre) && origin.endsWith(post)),
    );
  }

  /** applyCors: what happens to a request before routing. */
  decide(method: string, origin: string | undefined, host: string | undefined): CorsDecision {
    // No Origin, or Origin equal to the server's own address: not a CORS request at all.
    if (!origin || origin === `http://${host}` || origin === `https://${host}`) return { kind: 'pass', headers: {} };
    // A bare 403 with no CORS headers: the page only sees "TypeError: Failed to fetch".
    if (!this.#allowed(origin)) return { kind: 'forbidden' };
    const acao = this.#allowAll ? '*' : origin;
    if (method === 'OPTIONS') {
      // The fixed preflight answer; the requested method/headers are not even looked at.
      return {
        kind: 'preflight',
        headers: {
          'Access-Control-Allow-Methods': ALLOW_METHODS,
          'Access-Control-Allow-Headers': ALLOW_HEADERS,
          'Access-Control-Max-Age': MAX_AGE,
          ...(this.#allowAll ? {} : { Vary: ['Origin', 'Access-Control-Request-Method', 'Access-Control-Request-Headers'] }),
          'Access-Control-Allow-Origin': acao,
        },
      };
    }
    return {
      kind: 'pass',
      headers: { ...(this.#allowAll ? {} : { Vary: 'Origin' }), 'Access-Control-Allow-Origin': acao },
    };
  }
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.') || ip.toLowerCase().startsWith('::ffff:127.');
}

function isPrivateOrUnspecified(ip: string): boolean {
  if (ip === '0.0.0.0' || ip === '::') return true;
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\./i.exec(ip);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return /^f[cd]/i.test(ip);
}

function isLocalInterface(ip: string): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((a) => a.address === ip));
}

/**
 * allowedHostsMiddleware (DNS-rebinding guard), active when the server listens on loopback:
 * the Host header must be an IP that is loopback/private/unspecified/local, or localhost, the
 * machine's hostname, or end in .localhost/.local/.internal. Returns 'ok', 'forbidden', or
 * 'no-content' (an OPTIONS that reached it with an allowed host name: bare 204).
 */
export function checkHost(boundHost: string, hostHeader: string | undefined, method: string): 'ok' | 'forbidden' | 'no-content' {
  if (!isLoopback(boundHost) && boundHost !== 'localhost') return 'ok';
  const raw = hostHeader ?? '';
  const m = /^\[([^\]]+)\](?::\d*)?$/.exec(raw) ?? /^([^:]*)(?::\d*)?$/.exec(raw);
  const host = (m?.[1] ?? raw).toLowerCase();
  if (isIP(host)) {
    return isLoopback(host) || isPrivateOrUnspecified(host) || isLocalInterface(host) ? 'ok' : 'forbidden';
  }
  const named =
    host === '' ||
    host === 'localhost' ||
    host === hostname().toLowerCase() ||
    ['.localhost', '.local', '.internal'].some((tld) => host.endsWith(tld));
  if (!named) return 'forbidden';
  return method === 'OPTIONS' ? 'no-content' : 'ok';
}
