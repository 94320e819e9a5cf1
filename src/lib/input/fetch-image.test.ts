import { describe, expect, it } from 'vitest';
import { CORS_REFUSED, ImageAddressError, fetchImageFromAddress, nameFromAddress, parseImageAddress } from './fetch-image.ts';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const url = new URL('https://images.example/photos/red%20rose');

/** A fetch that records each call's mode and answers with `answer(mode)`. */
function fakeFetch(answer: (mode: RequestMode | undefined) => Response | Error) {
  const modes: (RequestMode | undefined)[] = [];
  const fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    modes.push(init?.mode);
    const outcome = answer(init?.mode);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }) as typeof globalThis.fetch;
  return { fetch, modes };
}

describe('fetchImageFromAddress', () => {
  it('returns the image named after its address, with an extension from its bytes', async () => {
    const { fetch, modes } = fakeFetch(() => new Response(PNG, { headers: { 'content-type': 'image/png' } }));
    const file = await fetchImageFromAddress(url, { fetch });
    expect([file.name, file.type, file.size]).toEqual(['red rose.png', 'image/png', PNG.length]);
    expect(modes).toEqual(['cors']);
  });

  it('says CORS refused it when the site answers only opaquely, and that nothing answered when it does not at all', async () => {
    const cors = fakeFetch((mode) => (mode === 'no-cors' ? new Response(null) : new TypeError('Failed to fetch')));
    await expect(fetchImageFromAddress(url, { fetch: cors.fetch })).rejects.toThrow(new ImageAddressError(CORS_REFUSED));
    const down = fakeFetch(() => new TypeError('Failed to fetch'));
    await expect(fetchImageFromAddress(url, { fetch: down.fetch })).rejects.toThrow(/Nothing answered at images\.example/);
  });

  it('refuses a web page, an error status, a redirect and an image over the cap', async () => {
    const page = fakeFetch(() => new Response('<!doctype html><p>hi', { headers: { 'content-type': 'text/html; charset=utf-8' } }));
    await expect(fetchImageFromAddress(url, { fetch: page.fetch })).rejects.toThrow('That address gives text/html, not an image.');
    const missing = fakeFetch(() => new Response('no', { status: 404, statusText: 'Not Found' }));
    await expect(fetchImageFromAddress(url, { fetch: missing.fetch })).rejects.toThrow('The site answered 404 Not Found for that address.');
    const moved = fakeFetch(() => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }));
    await expect(fetchImageFromAddress(url, { fetch: moved.fetch })).rejects.toThrow(/only the address you typed is fetched/);
    const huge = fakeFetch(() => new Response(new Uint8Array(2048)));
    await expect(fetchImageFromAddress(url, { fetch: huge.fetch, maxBytes: 1024 })).rejects.toThrow(/over 1(\.0)? KB/);
  });
});

describe('addresses', () => {
  it('accepts only http(s) addresses', () => {
    expect(parseImageAddress(' https://a.example/x.jpg ').href).toBe('https://a.example/x.jpg');
    expect(() => parseImageAddress('file:///etc/passwd')).toThrow(ImageAddressError);
    expect(() => parseImageAddress('not an address')).toThrow(ImageAddressError);
  });

  it('names a file from the last path segment, else the host', () => {
    expect(nameFromAddress(new URL('https://a.example/img/cat.JPG?size=2'), 'jpeg')).toBe('cat.JPG');
    expect(nameFromAddress(new URL('https://a.example/'), 'jpeg')).toBe('a.example.jpg');
    expect(nameFromAddress(new URL('https://a.example/a%2Fb'), 'png')).toBe('a_b.png');
  });
});
