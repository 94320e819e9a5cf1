// The Content-Security-Policy of the built app. Only the app's own files may run or style the page
// (and compile WebAssembly, for the built-in OCR); fetches may go to the app and to Ollama: loopback
// on any port, or any host on Ollama's port.

/** Ollama's default port (OLLAMA_HOST), so Ollama on another machine of the LAN works unconfigured. */
export const OLLAMA_PORT = 11434;

/** Where Ollama may be without rebuilding: loopback on any port, any host on Ollama's port. */
export const OLLAMA_SOURCES = [
  'http://localhost:*',
  'http://127.0.0.1:*',
  `http://*:${OLLAMA_PORT}`,
  `https://*:${OLLAMA_PORT}`,
] as const;

// A CSP source expression has no spaces, quotes, semicolons or commas (w3.org/TR/CSP3/#grammardef-source-expression).
const SOURCE = /^(https?:\/\/)?(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*)(:(\*|\d{1,5}))?(\/[^\s;,'"]*)?$/i;

/** Split a build-time list of extra Ollama origins (LENSCRIBE_CONNECT_SRC), refusing anything that is not a source. */
export function parseExtraSources(value: string | undefined): string[] {
  const sources = (value ?? '').split(/[\s,]+/).filter(Boolean);
  const invalid = sources.filter((s) => !SOURCE.test(s));
  if (invalid.length > 0) throw new Error(`LENSCRIBE_CONNECT_SRC: not a CSP source: ${invalid.join(' ')}`);
  return sources;
}

/**
 * The policy as directives. `frame-ancestors` only works as an HTTP header, so the <meta> copy
 * leaves it out (w3.org/TR/CSP3/#meta-element).
 */
export function contentSecurityPolicy(options: { extraConnect?: readonly string[]; forMeta?: boolean } = {}): string {
  const directives = [
    "default-src 'self'",
    // The built-in OCR compiles Tesseract's WebAssembly, which CSP blocks without this keyword. It
    // allows WebAssembly.compile/instantiate only: eval() and new Function() stay blocked.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    `connect-src 'self' ${[...OLLAMA_SOURCES, ...(options.extraConnect ?? [])].join(' ')}`,
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
