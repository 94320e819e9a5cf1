/// <reference types="node" />
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OCR_FOLDER, ocrSourcePath } from '../../../../scripts/vite-plugin-ocr-assets.ts';
import { OCR_CORE_FILES, OCR_FILES, OCR_LANGUAGE_FILE, OCR_WORKER_FILE, ocrContentType, wasmOf } from './assets.ts';

describe('OCR assets', () => {
  it('live in a folder named after every package version', () => {
    expect(OCR_FOLDER).toMatch(/^ocr\/tesseract-\d+\.\d+\.\d+-core-\d+\.\d+\.\d+-eng-\d+\.\d+\.\d+\/$/);
  });

  it('are the worker, the language data and each core with its .wasm, all present in node_modules', () => {
    expect(OCR_FILES).toHaveLength(8);
    expect(OCR_FILES).toContain(OCR_WORKER_FILE);
    expect(OCR_FILES).toContain(OCR_LANGUAGE_FILE);
    for (const core of Object.values(OCR_CORE_FILES)) expect(OCR_FILES).toContain(wasmOf(core));
    for (const name of OCR_FILES) expect(existsSync(ocrSourcePath(name)), name).toBe(true);
  });

  it('give WebAssembly the type that lets it compile while downloading', () => {
    expect(ocrContentType('tesseract-core-simd-lstm.wasm')).toBe('application/wasm');
    expect(ocrContentType(OCR_WORKER_FILE)).toBe('text/javascript');
    expect(ocrContentType(OCR_LANGUAGE_FILE)).toBe('application/gzip');
  });
});
