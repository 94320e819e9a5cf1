// The built-in OCR engine. Importing this costs about 1 kB: tesseract.js and its files load on the first read.
export { BUILTIN_OCR_LIMITS, BUILTIN_OCR_MAX_SIDE, BUILTIN_OCR_MODEL, type BuiltinOcrOptions, createBuiltinOcrEngine } from './engine.ts';
export { OcrEngineError } from './errors.ts';
