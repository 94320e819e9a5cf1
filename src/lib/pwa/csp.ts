// The Content-Security-Policy of the built app. Only the app's own files may run or style the page
// (and compile WebAssembly, for the built-in OCR); fetches may go to the app and to model servers:
// loopback on any port, or any host on the standard port of a supported server.

/** Ollama's default port (OLLAMA_HOST), so Ollama on another machine of the LAN works unconfigured. */
export const OLLAMA_PORT = 11434;

/**
 * The default ports of the supported servers (docs/openai-compatible.md §7): Ollama, vLLM,
 * llama-server (8080, and 9931 since mid-2026), LM Studio, LiteLLM. A GPU box on the LAN works
 * with the published build; anything else is added at build time with LENSCRIBE_CONNECT_SRC.
 */
export const SERVER_PORTS = [OLLAMA_PORT, 8000, 8080, 9931, 1234, 4000] as const;

/** Where a model server may be without rebuilding: loopback on any port, any host on a server's port. */
export const SERVER_SOURCES = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  ...SERVER_PORTS.flatMap((port) => [`http://*:${port}`, `https://*:${port}`]),
] as const;

// A CSP source expression has no spaces, quotes, semicolons or commas (w3.org/TR/CSP3/#grammardef-source-expression).
const SOURCE = /^(https?:\/\/)?(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)(:(\*|\d{1,5}))?(\/[^\s;,'"]*)?$/i;

/** Split a build-time list of extra server origins (LENSCRIBE_CONNECT_SRC), refusing anything that is not a source. */
export function parseExtraSources(value: string | undefined): string[] {
  const sources = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const invalid = sources.filter((s) => !SOURCE.test(s));
  if (invalid.length > 0) throw new Error(`LENSCRIBE_CONNECT_SRC: not a CSP source: ${invalid.join(' ')}`);
  return sources;
}

/**
 * What LENSCRIBE_FETCH_IMAGES=1 adds to connect-src so "Add image from address" can fetch from any
 * https site. A policy cannot be widened for one call or changed at run time, so this is a build
 * choice: it lets every fetch of the page reach any https host.
 */
export const IMAGE_ADDRESS_SOURCES = ['https:'] as const;

/** Whether a build-time flag (LENSCRIBE_FETCH_IMAGES) is on: "1", "true", "yes" or "on". */
export function isFlagOn(value: string | undefined): boolean {
  return ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
}

/**
 * The policy as directives. `frame-ancestors` only works as an HTTP header, so the <meta> copy
 * leaves it out (w3.org/TR/CSP3/#meta-element).
 */
export function contentSecurityPolicy(options: { extraConnect?: readonly string[]; forMeta?: boolean; allowImageAddresses?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // The built-in OCR compiles Tesseract's WebAssembly, which CSP blocks without this keyword. It
    // allows WebAssembly.compile/instantiate only: eval() and new Function() stay blocked.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src 'self' ${[...SERVER_SOURCES, ...(options.extraConnect ?? []), ...(options.allowImageAddresses ? IMAGE_ADDRESS_SOURCES : [])].join(' ')}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(options.forMeta ? [] : ["frame-ancestors 'none'"]),
  ];
  return directives.join('; ');
}
