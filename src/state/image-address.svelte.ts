// "Add image from address": fetches only the address the user typed or pasted, when they ask,
// after checking that the page's security policy lets it (a blocked fetch would look like a CORS
// refusal), then hands the image to the normal intake with the address kept as its source.
import { CORS_REFUSED, ImageAddressError, fetchImageFromAddress, parseImageAddress } from '../lib/input/fetch-image.ts';
import { isAbortError } from '../lib/ollama/errors.ts';
import type { IntakeState } from './intake.svelte.ts';

/** What ImageAddressState works with. */
export interface ImageAddressDeps {
  intake: Pick<IntakeState, 'add'>;
  /** Whether the page's Content-Security-Policy lets it fetch this address. */
  isAllowed: (url: URL) => boolean;
  fetchImage?: typeof fetchImageFromAddress;
}

/** Said when the policy of this build does not reach the address. */
export const POLICY_REFUSED =
  "This page's security policy lets it fetch images only from this computer and from model servers' ports, so it did not try that address. " +
  'Save the image and drop it here, or build Lenscribe with LENSCRIBE_FETCH_IMAGES=1 to allow any https address (see the README).';

export { CORS_REFUSED };

/** Fetching one image by its address. */
export class ImageAddressState {
  #isFetching = $state(false);
  #message = $state('');
  #isError = $state(false);
  #controller: AbortController | undefined;
  readonly #deps: ImageAddressDeps;

  constructor(deps: ImageAddressDeps) {
    this.#deps = deps;
  }

  get isFetching() { return this.#isFetching; }
  /** The outcome of the last fetch, for a status line. */
  get message() { return this.#message; }
  get isError() { return this.#isError; }
  /** Whether this build may fetch from any https site (LENSCRIBE_FETCH_IMAGES), or only this computer and model-server ports. */
  get isOpenToWeb() { return this.#deps.isAllowed(new URL('https://example.com/')); }

  /** Fetch the image at `address` and add it; a message says what happened. Returns whether it was added. */
  async add(address: string): Promise<boolean> {
    this.cancel();
    const controller = new AbortController();
    this.#controller = controller;
    this.#isError = false;
    this.#message = '';
    try {
      const url = parseImageAddress(address);
      if (!this.#deps.isAllowed(url)) throw new ImageAddressError(POLICY_REFUSED);
      this.#isFetching = true;
      this.#message = `Fetching ${url.host}…`;
      const file = await (this.#deps.fetchImage ?? fetchImageFromAddress)(url, { signal: controller.signal });
      if (controller.signal.aborted) return false;
      await this.#deps.intake.add([{ file, name: file.name, source: { url: url.href } }]);
      this.#message = `Added ${file.name} from ${url.host}.`;
      return true;
    } catch (error) {
      if (isAbortError(error) || controller.signal.aborted) {
        // A newer fetch that cancelled this one owns the message now.
        if (this.#controller === controller) this.#message = 'Fetch cancelled.';
        return false;
      }
      this.#isError = true;
      this.#message = error instanceof ImageAddressError ? error.message : `That image could not be fetched: ${error instanceof Error ? error.message : String(error)}`;
      return false;
    } finally {
      if (this.#controller === controller) {
        this.#controller = undefined;
        this.#isFetching = false;
      }
    }
  }

  /** Stop the fetch under way. */
  cancel(): void {
    this.#controller?.abort();
  }
}
