// Typed failures of talking to Ollama, so the UI can say what happened and what to do.

/** Nothing answered: Ollama is not running, or the page's origin was refused by CORS. */
export class OllamaUnreachableError extends Error {
  override readonly name = 'OllamaUnreachableError';
  constructor(readonly baseUrl: string, options?: ErrorOptions) {
    super(`Could not reach Ollama at ${baseUrl}`, options);
  }
}

/**
 * Ollama answered with an HTTP error status; `message` is Ollama's own error text, or a summary
 * when the answer was a web page (a reverse proxy's 502 page, say) rather than Ollama's JSON.
 */
export class OllamaHttpError extends Error {
  override readonly name = 'OllamaHttpError';
  constructor(readonly status: number, message: string, readonly isWebPage = false) {
    super(message);
  }
  /** Ollama's queue is full: retrying later is the right response. */
  get isBusy(): boolean {
    return this.status === 503;
  }
}

/** Something answers at the address, but not like Ollama (a web page, plain text, other JSON). */
export class NotOllamaError extends Error {
  override readonly name = 'NotOllamaError';
  constructor(readonly baseUrl: string, readonly received: string) {
    super(`The server at ${baseUrl} does not answer like Ollama: it sent ${received}. Check the address and port.`);
  }
}

/** The stream started fine but Ollama reported an error on a later line (no done:true follows). */
export class OllamaStreamError extends Error {
  override readonly name = 'OllamaStreamError';
}

/** The stream ended without Ollama's final done:true line. */
export class OllamaTruncatedError extends Error {
  override readonly name = 'OllamaTruncatedError';
  constructor() {
    super('Ollama closed the response before it finished');
  }
}

/** True for the DOMException fetch and our own code throw when an AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

const MAX_QUOTED = 120;

/** A short, single-line excerpt of text for a message. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `“${line.length > MAX_QUOTED ? `${line.slice(0, MAX_QUOTED)}…` : line}”`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** True when a body is an HTML page rather than Ollama's JSON. */
function isHtmlPage(body: string, contentType = ''): boolean {
  return /text\/html|application\/xhtml/i.test(contentType) || /^\s*<(!doctype html|html|head|body|title)\b/i.test(body);
}

/** The text of an HTML page's <title>, entities decoded; undefined when it has none. */
function findPageTitle(html: string): string | undefined {
  const raw = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  if (!raw) return undefined;
  const title = raw
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&([a-z]+);/gi, (entity, name: string) => ENTITIES[name.toLowerCase()] ?? entity)
    .replace(/\s+/g, ' ')
    .trim();
  return title || undefined;
}

/** What a non-Ollama body was, in words: "a web page titled “…”", "plain text: “…”", … */
export function describeBody(body: string, contentType = ''): string {
  if (!body.trim()) return 'an empty answer';
  if (isHtmlPage(body, contentType)) {
    const title = findPageTitle(body);
    return title ? `a web page titled ${quote(title)}` : 'a web page';
  }
  try {
    JSON.parse(body);
    return `JSON that is not an Ollama reply: ${quote(body)}`;
  } catch {
    return `plain text: ${quote(body)}`;
  }
}

/** Turn a non-OK response into an OllamaHttpError carrying Ollama's `{"error": "…"}` text. */
export async function toHttpError(response: Response): Promise<OllamaHttpError> {
  const body = await response.text().catch(() => '');
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if (isHtmlPage(body, response.headers.get('content-type') ?? '')) {
    // A proxy's error page is kilobytes of markup: its title says all a person needs.
    const title = findPageTitle(body);
    return new OllamaHttpError(
      response.status,
      `The server answered ${status}${title ? ` (${quote(title)})` : ''} with a web page, not Ollama's reply: is a proxy in front of Ollama?`,
      true,
    );
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string') {
      return new OllamaHttpError(response.status, (parsed as { error: string }).error);
    }
  } catch {
    // Not JSON: plain text from something in between, kept short below.
  }
  const text = body.replace(/\s+/g, ' ').trim();
  const message = text ? (text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text) : response.statusText || `HTTP ${response.status}`;
  return new OllamaHttpError(response.status, message);
}
