// Fetches one image from an address the user typed or pasted: exactly that address (no redirect is
// followed), no cookies, no referrer, with a size cap, and a sentence for each way it can fail.
import { mimeOf, sniffImage } from '../image/sniff.ts';
import { formatBytes } from '../storage/space.ts';

/** The image could not be fetched; the message says why and what to do, for the user. */
export class ImageAddressError extends Error {
  override readonly name = 'ImageAddressError';
}

/** Larger than any photo or scan worth reading; a bigger download is refused as it arrives. */
export const MAX_ADDRESS_IMAGE_BYTES = 64 * 1024 * 1024;

/** The sentence for a site that refuses other pages its images. */
export const CORS_REFUSED = 'That site does not allow other pages to read its images (CORS). Save the image and drop it here instead.';

/** Options of fetchImageFromAddress. */
export interface FetchImageOptions {
  signal?: AbortSignal;
  maxBytes?: number;
  /** The page's fetch (tests pass a fake). */
  fetch?: typeof fetch;
}

/** The address as a URL, or ImageAddressError when it is not an http(s) address. */
export function parseImageAddress(address: string): URL {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw new ImageAddressError('That is not a web address. Type or paste one starting with https:// or http://.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ImageAddressError('Only https:// and http:// addresses can be fetched.');
  return url;
}

/** Fetch the image at `url` as a File named after its address; ImageAddressError says why not. */
export async function fetchImageFromAddress(url: URL, { signal, maxBytes = MAX_ADDRESS_IMAGE_BYTES, fetch: fetchFn = fetch }: FetchImageOptions = {}): Promise<File> {
  const init: RequestInit = { signal, credentials: 'omit', referrerPolicy: 'no-referrer', redirect: 'manual', mode: 'cors' };
  let response: Response;
  try {
    response = await fetchFn(url, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    // A CORS refusal and an unreachable host fail alike; an opaque answer in no-cors mode tells them
    // apart. no-cors requires redirect "follow" (Fetch §4.1 main fetch), which follows nothing here:
    // a redirect would have come back above as an opaque redirect, not as this error.
    const isReachable = await fetchFn(url, { ...init, mode: 'no-cors', redirect: 'follow' }).then(() => true, () => false);
    if (signal?.aborted) throw error;
    throw new ImageAddressError(isReachable ? CORS_REFUSED : `Nothing answered at ${url.host}. Check the address, or save the image and drop it here.`);
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new ImageAddressError('That address redirects to another one, which Lenscribe does not follow: only the address you typed is fetched. Open it in a tab and copy the image\'s final address.');
  }
  if (!response.ok) throw new ImageAddressError(`The site answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''} for that address.`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) throw new ImageAddressError(`That image is ${formatBytes(declared)}; Lenscribe fetches at most ${formatBytes(maxBytes)} from an address. Save it and drop it here.`);
  const bytes = await readCapped(response, maxBytes);
  const kind = sniffImage(bytes.subarray(0, 64));
  if (kind === 'unknown' || kind === 'pdf') {
    const type = response.headers.get('content-type')?.split(';')[0] || 'an unknown type';
    throw new ImageAddressError(`That address gives ${type}, not an image. Open the image itself (right-click → Copy image address).`);
  }
  return new File([bytes], nameFromAddress(url, kind), { type: mimeOf(kind) });
}

async function readCapped(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let part = await reader.read(); !part.done; part = await reader.read()) {
    total += part.value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ImageAddressError(`That image is over ${formatBytes(maxBytes)}, the most Lenscribe fetches from an address. Save it and drop it here.`);
    }
    chunks.push(part.value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** The file name an address suggests ("cat.png"), with an extension from its bytes when it has none. */
export function nameFromAddress(url: URL, kind: string): string {
  const last = url.pathname.split('/').filter(Boolean).pop() ?? '';
  const name = [...safeDecode(last)].map((c) => (c < ' ' || '\\/:*?"<>|'.includes(c) ? '_' : c)).join('') || url.hostname;
  const extension = kind === 'jpeg' ? 'jpg' : kind;
  return /\.[a-z0-9]{2,5}$/i.test(name) ? name : `${name}.${extension}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
