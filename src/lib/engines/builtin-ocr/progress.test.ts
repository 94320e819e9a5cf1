import { describe, expect, it } from 'vitest';
import { describeTesseractProgress } from './progress.ts';

describe('describeTesseractProgress', () => {
  it('names each phase of tesseract.js in words, with its fraction', () => {
    expect(describeTesseractProgress({ status: 'loading tesseract core', progress: 0 })).toEqual({ status: 'Loading the OCR engine', fraction: 0 });
    expect(describeTesseractProgress({ status: 'loading language traineddata', progress: 0.5 })).toEqual({ status: 'Loading English language data', fraction: 0.5 });
    expect(describeTesseractProgress({ status: 'initializing api', progress: 1 })).toEqual({ status: 'Starting the OCR engine', fraction: 1 });
    expect(describeTesseractProgress({ status: 'recognizing text', progress: 0.25 })).toEqual({ status: 'Recognizing text', fraction: 0.25 });
  });

  it('passes an unknown status on and keeps fractions within 0..1', () => {
    expect(describeTesseractProgress({ status: 'something new', progress: 1.2 })).toEqual({ status: 'something new', fraction: 1 });
    expect(describeTesseractProgress({ status: 'recognizing text', progress: Number.NaN })).toEqual({ status: 'Recognizing text' });
  });
});
