import { describe, expect, it } from 'vitest';
import { connectSourcesOf, isAllowedBySources } from './connect-match.ts';
import { contentSecurityPolicy } from './csp.ts';

const PAGE = 'http://localhost:4173';
const allowed = (address: string, policy = contentSecurityPolicy({ forMeta: true })) =>
  isAllowedBySources(new URL(address), connectSourcesOf(policy) ?? [], PAGE);

describe('isAllowedBySources', () => {
  it('allows what the default policy allows: this computer at any port, model-server ports anywhere', () => {
    expect(allowed('http://127.0.0.1:9000/cat.png')).toBe(true);
    expect(allowed('http://localhost:4173/icons/x.png')).toBe(true);
    expect(allowed('http://192.168.1.10:8080/cat.png')).toBe(true);
  });

  it('refuses ordinary web addresses under the default policy', () => {
    expect(allowed('https://example.com/cat.png')).toBe(false);
    expect(allowed('http://example.com:8081/cat.png')).toBe(false);
  });

  it('allows any https address once the build opts in, still not plain http', () => {
    const policy = contentSecurityPolicy({ forMeta: true, allowImageAddresses: true });
    expect(allowed('https://example.com/cat.png', policy)).toBe(true);
    expect(allowed('http://example.com/cat.png', policy)).toBe(false);
  });

  it('matches subdomain wildcards, default ports and schemeless hosts', () => {
    expect(isAllowedBySources(new URL('https://img.cdn.example/a.png'), ['https://*.cdn.example'], PAGE)).toBe(true);
    expect(isAllowedBySources(new URL('https://cdn.example:8443/a.png'), ['https://cdn.example'], PAGE)).toBe(false);
    expect(isAllowedBySources(new URL('https://llm.home.arpa/a.png'), ['llm.home.arpa'], PAGE)).toBe(true);
  });

  it('reads default-src when there is no connect-src, and nothing when there is no policy', () => {
    expect(connectSourcesOf("default-src 'self'; img-src data:")).toEqual(["'self'"]);
    expect(connectSourcesOf(undefined)).toBeUndefined();
  });
});
