// Tesseract's progress messages in words people read.
import type { EngineProgress } from '../types.ts';

/** What tesseract.js's logger sends. */
export interface TesseractLogMessage {
  status: string;
  progress: number;
}

// tesseract.js 7 status strings (src/worker-script/index.js and browser/getCore.js). The core and the
// language data are fetched whole, so their fractions are coarse: 0 when asked for, 0.5 once the data
// has arrived, 1 when it is in place.
const STATUS_WORDS: Readonly<Record<string, string>> = {
  'loading tesseract core': 'Loading the OCR engine',
  'initializing tesseract': 'Starting the OCR engine',
  'loading language traineddata': 'Loading English language data',
  'initializing api': 'Starting the OCR engine',
  'recognizing text': 'Recognizing text',
};

/** A tesseract.js log message as EngineProgress; an unknown status is passed on as it is. */
export function describeTesseractProgress({ status, progress }: TesseractLogMessage): EngineProgress {
  const words = STATUS_WORDS[status] ?? status;
  return Number.isFinite(progress) ? { status: words, fraction: Math.min(1, Math.max(0, progress)) } : { status: words };
}
