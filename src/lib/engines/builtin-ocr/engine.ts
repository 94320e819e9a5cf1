// The built-in OCR as an Engine: Tesseract (tesseract.js, English) in a worker, every file from
// the app's own origin. It reads the text in an image and nothing else: the prompt and sampling
// options are ignored, so tasks that need a vision model are not for it (capabilities.ocrOnly).
import type { Engine, EngineModel, ReadCallOptions, ReadChunk, ReadOutcome, ReadRequest } from '../types.ts';
import type { OcrWorker } from './ocr-worker.ts';
import { collectParagraphs, measureConfidence, type OcrBlock } from './text.ts';

/** The one model the built-in OCR offers. */
export const BUILTIN_OCR_MODEL = 'tesseract-eng';

/** Why a task that needs a vision model is unavailable with the built-in OCR, in words for people. */
export const BUILTIN_OCR_LIMITS = 'The built-in OCR only copies out the text it sees; it cannot follow a prompt, describe, translate or answer questions. Use a vision model for that.';

/**
 * The longest side OCR jobs are encoded at, twice a vision model's: Tesseract's accuracy drops fast
 * below about 10 pt at 300 dpi (its ImproveQuality guide), and a 2560 px wide screenshot's 13 px
 * print shrunk to 1536 px would be under 8 px.
 */
export const BUILTIN_OCR_MAX_SIDE = 3072;

const MODEL: EngineModel = {
  name: BUILTIN_OCR_MODEL,
  capabilities: { vision: true, ocrOnly: true, thinking: false, structuredOutput: false, logprobs: false },
  family: 'tesseract',
};

/** Options of createBuiltinOcrEngine. */
export interface BuiltinOcrOptions {
  /** How long the worker (~100 MB) stays after the last image; default one minute. */
  idleMs?: number;
}

/** The built-in OCR engine; tesseract.js, its worker and its files load on the first read, not before. */
export function createBuiltinOcrEngine({ idleMs }: BuiltinOcrOptions = {}): Engine & { terminate(): void } {
  let worker: Promise<OcrWorker> | undefined;
  // A dynamic import, so the app's first load carries none of tesseract.js.
  const getWorker = () => (worker ??= import('./ocr-worker.ts').then(({ OcrWorker }) => new OcrWorker(idleMs)));
  return {
    id: 'builtin-ocr',
    kind: 'builtin-ocr',
    label: 'Built-in OCR (text only)',
    listModels: () => Promise.resolve([MODEL]),
    read: (request, options) => readImages(getWorker, request, options),
    terminate: () => void worker?.then((w) => w.terminate()),
  };
}

// Images are read in turn; the text comes a paragraph per chunk, a blank line between paragraphs.
async function* readImages(getWorker: () => Promise<OcrWorker>, request: ReadRequest, { signal, onProgress }: ReadCallOptions = {}): AsyncGenerator<ReadChunk, ReadOutcome> {
  if (request.model !== BUILTIN_OCR_MODEL) throw new Error(`The built-in OCR has no model "${request.model}"`);
  signal?.throwIfAborted();
  const started = performance.now();
  const worker = await getWorker();
  let startupMs = 0;
  let hasText = false;
  const blocks: OcrBlock[] = [];
  for (const image of request.images) {
    const recognized = await worker.recognize(image.blob, { signal, onProgress });
    startupMs += recognized.startupMs;
    blocks.push(...recognized.blocks);
    for (const paragraph of collectParagraphs(recognized.blocks)) {
      yield { text: hasText ? `\n\n${paragraph}` : paragraph };
      hasText = true;
    }
  }
  const confidence = measureConfidence(blocks);
  return {
    doneReason: 'stop',
    // Integer nanoseconds, as Ollama reports them.
    metrics: { total_duration: Math.round((performance.now() - started) * 1e6), ...(startupMs > 0 ? { load_duration: Math.round(startupMs * 1e6) } : {}) },
    ...(confidence ? { confidence } : {}),
  };
}
