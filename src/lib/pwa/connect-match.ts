// Whether the page's own Content-Security-Policy lets it fetch an address, read from the policy
// the page actually carries. A fetch the policy blocks fails exactly like one CORS refuses (a bare
// TypeError), so "Add image from address" checks first and says which it is, without fetching.

/** The policy the page carries in its <meta> tag (the built app always has one; `npm run dev` none). */
export function readPagePolicy(doc: Pick<Document, 'querySelector'> | undefined = globalThis.document): string | undefined {
  return doc?.querySelector('meta[http-equiv="Content-Security-Policy" i]')?.getAttribute('content') ?? undefined;
}

/** The connect-src sources of a policy (default-src when it has none); undefined when there is no policy. */
export function connectSourcesOf(policy: string | undefined): string[] | undefined {
  if (!policy) return undefined;
  const directives = new Map(
    policy.split(';').map((d) => d.trim().split(/\s+/)).filter((parts) => parts[0]).map((parts) => [(parts[0] as string).toLowerCase(), parts.slice(1)]),
  );
  return directives.get('connect-src') ?? directives.get('default-src');
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** Whether `sources` (CSP source expressions, w3.org/TR/CSP3 §6.7.2) allow fetching `url` from a page at `pageOrigin`. */
export function isAllowedBySources(url: URL, sources: readonly string[], pageOrigin: string): boolean {
  return sources.some((source) => matchesSource(url, source, pageOrigin));
}

function matchesSource(url: URL, source: string, pageOrigin: string): boolean {
  if (source === "'self'") return url.origin === pageOrigin;
  if (source.startsWith("'")) return false;
  // A scheme-only source: "https:" (http: also allows https:, the secure upgrade).
  if (/^[a-z][a-z0-9+.-]*:$/i.test(source)) return schemeMatches(source.toLowerCase(), url.protocol, pageOrigin);
  const match = /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\*|(?:\*\.)?[^:/]+)(?::(\*|\d+))?(\/.*)?$/i.exec(source);
  if (!match) return false;
  const [, scheme, host = '', port] = match;
  if (!schemeMatches(scheme?.toLowerCase(), url.protocol, pageOrigin)) return false;
  const hostname = url.hostname.toLowerCase();
  const wanted = host.toLowerCase();
  const isHostMatch = wanted === '*' || (wanted.startsWith('*.') ? hostname.endsWith(wanted.slice(1)) : hostname === wanted);
  if (!isHostMatch) return false;
  const urlPort = url.port || DEFAULT_PORTS[url.protocol] || '';
  // No port in the source: the scheme's default (and 443 when http was upgraded to https).
  if (port === undefined) return urlPort === DEFAULT_PORTS[url.protocol];
  return port === '*' || port === urlPort;
}

function schemeMatches(sourceScheme: string | undefined, urlScheme: string, pageOrigin: string): boolean {
  const scheme = sourceScheme ?? new URL(pageOrigin).protocol;
  return scheme === urlScheme || (scheme === 'http:' && urlScheme === 'https:');
}
