// The tests' hand-made PDFs read by the real pdf.js (its legacy build runs in Node): the text layer
// comes out as lines, and encrypted, damaged and empty files fail with the sentences users see.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { makeEmptyPdf, makeEncryptedPdf, makeThreePagePdf, makeTruncatedPdf } from '../../../tests/fixtures/pdf.ts';
import { describePdfFailure } from './pdf-errors.ts';
import { pdfDocumentOptions } from './pdf-page.ts';
import { joinTextItems, type TextLayerItem } from './text-layer.ts';

const open = (bytes: Buffer) => getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, verbosity: 0 }).promise;

async function failureOf(bytes: Buffer): Promise<string> {
  try {
    await open(bytes);
  } catch (error) {
    return describePdfFailure(error);
  }
  return 'opened';
}

describe('the generated PDFs, read by pdf.js', () => {
  it('has three pages: only the second carries a text layer', async () => {
    const document = await open(makeThreePagePdf());
    expect(document.numPages).toBe(3);
    const texts: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const content = await (await document.getPage(n)).getTextContent();
      texts.push(joinTextItems(content.items as TextLayerItem[]));
    }
    expect(texts).toEqual(['', 'Quarterly report\nRevenue grew by 12 percent.', '']);
    await document.destroy();
  });

  it('says an encrypted PDF needs a password, and a damaged one is damaged', async () => {
    expect(await failureOf(makeEncryptedPdf())).toMatch(/protected by a password/);
    expect(await failureOf(makeTruncatedPdf())).toMatch(/damaged or incomplete/);
  });

  it('opens a PDF with no pages as one of 0 pages (the reader refuses it)', async () => {
    const document = await open(makeEmptyPdf());
    expect(document.numPages).toBe(0);
    await document.destroy();
  });
});

describe('pdf.js under our options', () => {
  const urls = { standardFontDataUrl: '/', cMapUrl: '/', iccUrl: '/', wasmUrl: '/' };

  /** How many times pdf.js builds a function from a string while parsing every page's drawing. */
  async function countEvals(options: ReturnType<typeof pdfDocumentOptions> | Record<string, unknown>): Promise<number> {
    const original = globalThis.Function;
    let evals = 0;
    globalThis.Function = new Proxy(original, { construct: (target, args) => (evals++, Reflect.construct(target, args)) });
    try {
      const document = await getDocument(options).promise;
      for (let n = 1; n <= document.numPages; n++) await (await document.getPage(n)).getOperatorList();
      await document.destroy();
    } finally {
      globalThis.Function = original;
    }
    return evals;
  }

  it('never evaluates strings, not even for the PostScript function of the text page\'s spot colour', async () => {
    const options = pdfDocumentOptions(new Uint8Array(makeThreePagePdf()), urls);
    expect(await countEvals(options)).toBe(0);
    // The same PDF with pdf.js's default would compile that function: the check above can fail.
    expect(await countEvals({ ...pdfDocumentOptions(new Uint8Array(makeThreePagePdf()), urls), isEvalSupported: true })).toBeGreaterThan(0);
  });
});
