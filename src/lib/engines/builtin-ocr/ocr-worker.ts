// One tesseract.js worker, started on first use from the app's own origin and kept for the next
// image. It ends after a quiet spell (freeing its memory), and abort ends it at once: terminating
// is the only way to stop a recognition under way. The engine imports this module on its first read.
import type Tesseract from 'tesseract.js';
import type { EngineProgress } from '../types.ts';
import { OCR_CACHE_NAME, OCR_CORE_FILES, OCR_LANGUAGE_FILE, OCR_WORKER_FILE, ocrFolder, wasmOf } from './assets.ts';
import { OcrEngineError } from './errors.ts';
import { describeTesseractProgress } from './progress.ts';
import type { OcrBlock } from './text.ts';

/** Options of OcrWorker.recognize. */
export interface RecognizeOptions {
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
}

/** A page's layout, and how long starting the worker took if this call started it. */
export interface Recognized {
  blocks: OcrBlock[];
  startupMs: number;
}

/** A lazily started tesseract.js worker that reads one image at a time. */
export class OcrWorker {
  readonly #idleMs: number;
  #worker: Promise<Tesseract.Worker> | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  // The call in flight: where progress goes, and how a crash of the worker reaches it.
  #report: ((progress: EngineProgress) => void) | undefined;
  #crash: ((error: Error) => void) | undefined;

  constructor(idleMs = 60_000) {
    this.#idleMs = idleMs;
  }

  /** Read the text layout of an encoded PNG/JPEG, after any image already queued. */
  recognize(image: Blob, options: RecognizeOptions = {}): Promise<Recognized> {
    const run = this.#tail.then(() => this.#recognize(image, options));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Stop the worker now; the next image starts a new one. */
  terminate(): void {
    clearTimeout(this.#idleTimer);
    const worker = this.#worker;
    this.#worker = undefined;
    void worker?.then((w) => w.terminate()).catch(() => undefined);
  }

  async #recognize(image: Blob, { signal, onProgress }: RecognizeOptions): Promise<Recognized> {
    signal?.throwIfAborted();
    clearTimeout(this.#idleTimer);
    const started = performance.now();
    this.#report = onProgress;
    const crashed = new Promise<never>((_, reject) => (this.#crash = reject));
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const work = (async () => {
        const isStarting = this.#worker === undefined;
        const worker = await (this.#worker ??= this.#start());
        const startupMs = isStarting ? performance.now() - started : 0;
        const { data } = await worker.recognize(image, {}, { text: false, blocks: true });
        return { blocks: data.blocks ?? [], startupMs };
      })();
      // Once aborted, the abandoned work may still fail: that is no longer anyone's error.
      work.catch(() => undefined);
      return await Promise.race([work, crashed, aborted]);
    } catch (error) {
      // An aborted or broken worker is in an unknown state: end it, the next image starts afresh.
      this.terminate();
      throw typeof error === 'string' ? new OcrEngineError(error) : error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.#report = undefined;
      this.#crash = undefined;
      if (this.#worker) this.#idleTimer = setTimeout(() => this.terminate(), this.#idleMs);
    }
  }

  #start(): Promise<Tesseract.Worker> {
    const starting = startTesseract({
      onLog: (message) => this.#report?.(describeTesseractProgress(message)),
      onCrash: (message) => this.#crash?.(new OcrEngineError(message)),
    });
    starting.catch(() => {
      if (this.#worker === starting) this.#worker = undefined;
    });
    return starting;
  }
}

/** Start tesseract.js's worker with every file from this origin, English LSTM, automatic page layout. */
async function startTesseract({ onLog, onCrash }: { onLog: (message: Tesseract.LoggerMessage) => void; onCrash: (message: string) => void }): Promise<Tesseract.Worker> {
  await checkWebAssemblyAllowed();
  const folder = new URL(`${import.meta.env.BASE_URL}${ocrFolder()}`, location.href).href;
  const [{ createWorker, OEM, PSM }, core] = await Promise.all([import('tesseract.js'), pickCore()]);
  const worker = await new Promise<Tesseract.Worker>((resolve, reject) => {
    // tesseract.js rejects a failed start only through errorHandler (or a worker 'error' event);
    // without a handler it throws inside its message listener instead.
    createWorker('eng', OEM.LSTM_ONLY, {
      workerPath: `${folder}${OCR_WORKER_FILE}`,
      // A same-origin script, not tesseract.js's default blob: wrapper, so the worker is under the
      // policy its own response carries (see README, Content-Security-Policy).
      workerBlobURL: false,
      corePath: `${folder}${core}`,
      langPath: folder.replace(/\/$/, ''),
      gzip: true,
      // The service worker caches these files; tesseract.js's own IndexedDB copy would be a second one.
      cacheMethod: 'none',
      logger: onLog,
      errorHandler: (error: unknown) => reject(new OcrEngineError(String(error))),
    }).then(resolve, (error: unknown) => reject(new OcrEngineError(`The OCR engine could not start: ${String(error)}`)));
  });
  // tesseract.js keeps the browser Worker as `worker`; a crash after start-up reaches only that.
  (worker as unknown as { worker: Worker }).worker.addEventListener('error', (event) => onCrash(event.message || 'The OCR engine stopped unexpectedly'));
  // Screenshots and pages have columns, headings and gaps: let Tesseract find the blocks itself.
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO });
  void keepForOffline([OCR_WORKER_FILE, core, wasmOf(core), OCR_LANGUAGE_FILE].map((name) => `${folder}${name}`));
  return worker;
}

/**
 * On a first visit the service worker does not control the page yet, so it cannot keep what the
 * OCR just fetched. Put those files in its cache from here; the browser's HTTP cache usually answers.
 */
async function keepForOffline(urls: string[]): Promise<void> {
  if (typeof caches === 'undefined' || !('serviceWorker' in navigator) || navigator.serviceWorker.controller) return;
  try {
    const cache = await caches.open(OCR_CACHE_NAME);
    for (const url of urls) if (!(await cache.match(url))) await cache.add(url);
  } catch {
    // Offline use is a bonus here: the OCR itself already works.
  }
}

/**
 * Fail at once, with the reason, where the policy forbids WebAssembly. tesseract.js would wait forever
 * instead: its worker leaves the refused compile's rejection unhandled (tesseract.js 7, worker-script
 * `load`). The page and the worker get the same header from one server, so the page's answer holds.
 */
async function checkWebAssemblyAllowed(): Promise<void> {
  try {
    // The smallest valid module: "\0asm", version 1.
    await WebAssembly.compile(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  } catch (error) {
    throw new OcrEngineError(
      `This page may not run WebAssembly, which the built-in OCR needs: the server's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src (${String(error)})`,
    );
  }
}

/** The fastest LSTM core this browser's WebAssembly runs (the same test tesseract.js makes itself). */
async function pickCore(): Promise<string> {
  const { relaxedSimd, simd } = await import('wasm-feature-detect');
  if (await relaxedSimd()) return OCR_CORE_FILES.relaxedSimd;
  if (await simd()) return OCR_CORE_FILES.simd;
  return OCR_CORE_FILES.plain;
}
