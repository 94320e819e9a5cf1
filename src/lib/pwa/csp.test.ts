import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, parseExtraSources } from './csp.ts';

const directive = (policy: string, name: string) => policy.split('; ').find((d) => d.startsWith(`${name} `));

describe('contentSecurityPolicy', () => {
  it('lets only the app run scripts and styles, with no inline code or eval', () => {
    const policy = contentSecurityPolicy();
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive(policy, 'style-src')).toBe("style-src 'self'");
    // 'wasm-unsafe-eval' (WebAssembly for the built-in OCR) is the one exception; never inline code or eval.
    expect(policy.replace("'wasm-unsafe-eval'", '')).not.toMatch(/unsafe-/);
    expect(directive(policy, 'object-src')).toBe("object-src 'none'");
  });

  it('reaches model servers on loopback at any port and on any host at their standard ports, nothing else', () => {
    expect(directive(contentSecurityPolicy(), 'connect-src')).toBe(
      "connect-src 'self' http://localhost:* http://127.0.0.1:* " +
        'http://*:11434 https://*:11434 http://*:8000 https://*:8000 http://*:8080 https://*:8080 ' +
        'http://*:9931 https://*:9931 http://*:1234 https://*:1234 http://*:4000 https://*:4000',
    );
  });

  it('allows no host on other ports and no scheme but http(s)', () => {
    const sources = directive(contentSecurityPolicy(), 'connect-src')!.split(' ').slice(1);
    expect(sources.filter((s) => s.startsWith('http://*:') || s.startsWith('https://*:')).map((s) => s.split(':').pop())).not.toContain('*');
    expect(sources.every((s) => s === "'self'" || /^https?:\/\//.test(s))).toBe(true);
  });

  it('adds build-time Ollama addresses to connect-src only', () => {
    const policy = contentSecurityPolicy({ extraConnect: ['https://ollama.home.arpa'] });
    expect(directive(policy, 'connect-src')).toMatch(/ https:\/\/ollama\.home\.arpa$/);
    expect(directive(policy, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
  });

  it('leaves frame-ancestors out of the <meta> copy, where browsers ignore it', () => {
    expect(contentSecurityPolicy()).toMatch(/frame-ancestors 'none'$/);
    expect(contentSecurityPolicy({ forMeta: true })).not.toMatch(/frame-ancestors/);
  });
});

describe('parseExtraSources', () => {
  it('splits on spaces and commas', () => {
    expect(parseExtraSources(' http://192.168.1.10:8080, https://ollama.lan ')).toEqual(['http://192.168.1.10:8080', 'https://ollama.lan']);
    expect(parseExtraSources(undefined)).toEqual([]);
  });

  it('refuses text that would add a directive or a keyword', () => {
    expect(() => parseExtraSources("http://x; script-src 'unsafe-inline'")).toThrow(/not a CSP source/);
    expect(() => parseExtraSources("'unsafe-eval'")).toThrow(/not a CSP source/);
  });
});
