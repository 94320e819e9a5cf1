// Reads a PowerPoint deck (.pptx, also as Keynote, Google Slides and LibreOffice write it): slide
// order from the presentation part, each slide's title, its speaker notes (the notes slide's body
// placeholder only, never its slide number or header) and the pictures it shows. No model and no
// decode: the zip is read entry by entry with the zip reader's caps and CRC checks.
import { readPixelSize, blobSource } from '../image/pixel-size.ts';
import { sniffImage } from '../image/sniff.ts';
import { ZipReadError } from '../zip/errors.ts';
import { readZipDirectory, readZipEntry, readZipEntryBytes, type ZipDirectoryEntry } from '../zip/zip-reader.ts';
import { childElements, descendants, parseXml, textContent, XmlParseError, type XmlElement } from './xml.ts';

/** A picture shown on a slide, as stored in the deck. */
export interface DeckPicture {
  /** Its file name inside the deck (`image1.png`). */
  name: string;
  blob: Blob;
}

/** One slide, numbered as PowerPoint shows it (1-based, in presentation order). */
export interface DeckSlide {
  number: number;
  title: string;
  /** The speaker notes, paragraphs on their own lines; empty when the slide has none. */
  notes: string;
  pictures: DeckPicture[];
}

/** What a deck holds. */
export interface Deck {
  slides: DeckSlide[];
  /** Pictures left out: icons and spacers under MIN_PICTURE_SIDE on both sides, or formats no browser decodes (EMF, WMF). */
  skippedPictures: number;
}

/** The file is not a deck Lenscribe can read; the message says why, for the user. */
export class DeckReadError extends Error {
  override readonly name = 'DeckReadError';
}

/** Pictures smaller than this on both sides (bullets, icons, spacer pixels) get no alt text. */
export const MIN_PICTURE_SIDE = 32;

const NS = {
  p: 'http://schemas.openxmlformats.org/presentationml/2006/main',
  a: 'http://schemas.openxmlformats.org/drawingml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  rels: 'http://schemas.openxmlformats.org/package/2006/relationships',
} as const;
const R_ID = `{${NS.r}}id`;
const R_EMBED = `{${NS.r}}embed`;

const MAX_XML_BYTES = 32 * 1024 * 1024;
const MAX_PICTURE_BYTES = 256 * 1024 * 1024;
// Placeholders of a notes slide that are not the notes: the slide image, number, header, footer, date.
const NOT_NOTES = new Set(['sldImg', 'sldNum', 'hdr', 'ftr', 'dt']);
const TITLES = new Set(['title', 'ctrTitle']);

interface Relationship {
  type: string;
  /** The target's path in the zip, resolved; undefined for an external link. */
  path?: string;
}

/** Read a deck's slides, notes and pictures; DeckReadError when it is not a readable .pptx. */
export async function readPptx(file: Blob, signal?: AbortSignal): Promise<Deck> {
  let directory: ZipDirectoryEntry[];
  try {
    directory = await readZipDirectory(file);
  } catch (error) {
    if (error instanceof ZipReadError) throw new DeckReadError('This file is not a PowerPoint deck (.pptx): it is not a zip archive, or it is damaged.');
    throw error;
  }
  const deck = new DeckReader(file, directory, signal);
  try {
    return await deck.read();
  } catch (error) {
    if (error instanceof ZipReadError) throw new DeckReadError(`This deck is damaged: ${error.message.replace(/ Nothing was imported\.$/, '')}`);
    if (error instanceof XmlParseError) throw new DeckReadError(`This deck is damaged: one of its parts is not well-formed XML (${error.message})`);
    throw error;
  }
}

class DeckReader {
  readonly #file: Blob;
  readonly #entries: Map<string, ZipDirectoryEntry>;
  readonly #signal?: AbortSignal;

  constructor(file: Blob, directory: ZipDirectoryEntry[], signal?: AbortSignal) {
    this.#file = file;
    this.#entries = new Map(directory.map((e) => [e.name, e]));
    this.#signal = signal;
  }

  async read(): Promise<Deck> {
    const presentationPath = (await this.#relationships('')).find((r) => r.type.endsWith('/officeDocument'))?.path ?? 'ppt/presentation.xml';
    const presentation = await this.#xml(presentationPath);
    if (!presentation || presentation.name !== 'presentation') {
      throw new DeckReadError('This file is not a PowerPoint deck (.pptx): it has no presentation part (ppt/presentation.xml).');
    }
    const deckRels = await this.#relationshipsById(presentationPath);
    const slideIds = descendants(presentation, NS.p, 'sldId').map((s) => s.attributes.get(R_ID) ?? '');
    const slides: DeckSlide[] = [];
    let skippedPictures = 0;
    for (const [index, id] of slideIds.entries()) {
      this.#signal?.throwIfAborted();
      const path = deckRels.get(id)?.path;
      const slide = path ? await this.#readSlide(path, index + 1) : undefined;
      if (!slide) continue;
      slides.push(slide.slide);
      skippedPictures += slide.skipped;
    }
    return { slides, skippedPictures };
  }

  async #readSlide(path: string, number: number): Promise<{ slide: DeckSlide; skipped: number } | undefined> {
    const xml = await this.#xml(path);
    if (!xml) return undefined;
    const rels = await this.#relationshipsById(path);
    const notesPath = [...rels.values()].find((r) => r.type.endsWith('/notesSlide'))?.path;
    const notesXml = notesPath ? await this.#xml(notesPath) : undefined;
    const { pictures, skipped } = await this.#readPictures(xml, rels);
    const title = placeholderShapes(xml, (type) => TITLES.has(type)).map(shapeText).join(' ').replace(/\s+/g, ' ').trim();
    // A body placeholder's type may be written out ("body") or left to its default ("obj").
    const notes = notesXml ? placeholderShapes(notesXml, (type) => !NOT_NOTES.has(type)).map(shapeText).join('\n').trim() : '';
    return { slide: { number, title, notes, pictures }, skipped };
  }

  /** The pictures the slide draws (a:blip r:embed, in drawing order), each once. */
  async #readPictures(slide: XmlElement, rels: Map<string, Relationship>): Promise<{ pictures: DeckPicture[]; skipped: number }> {
    const paths = new Set<string>();
    for (const blip of descendants(slide, NS.a, 'blip')) {
      const rel = rels.get(blip.attributes.get(R_EMBED) ?? '');
      if (rel?.path && rel.type.endsWith('/image')) paths.add(rel.path);
    }
    const pictures: DeckPicture[] = [];
    let skipped = 0;
    for (const path of paths) {
      const picture = await this.#readPicture(path);
      if (picture) pictures.push(picture);
      else skipped++;
    }
    return { pictures, skipped };
  }

  async #readPicture(path: string): Promise<DeckPicture | undefined> {
    const entry = this.#entries.get(path);
    if (!entry) return undefined;
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    await readZipEntry(this.#file, entry, { maxBytes: MAX_PICTURE_BYTES, onData: (chunk) => chunks.push(chunk) });
    const blob = new Blob(chunks);
    const kind = sniffImage(new Uint8Array(await blob.slice(0, 64).arrayBuffer()));
    if (kind === 'unknown' || kind === 'pdf') return undefined;
    const size = await readPixelSize(kind, blobSource(blob));
    if (size && size.width < MIN_PICTURE_SIDE && size.height < MIN_PICTURE_SIDE) return undefined;
    return { name: path.slice(path.lastIndexOf('/') + 1), blob };
  }

  async #xml(path: string): Promise<XmlElement | undefined> {
    const entry = this.#entries.get(path);
    if (!entry) return undefined;
    const bytes = await readZipEntryBytes(this.#file, entry, MAX_XML_BYTES);
    return parseXml(new TextDecoder().decode(bytes));
  }

  /** The relationships of a part (`ppt/slides/slide1.xml` → `ppt/slides/_rels/slide1.xml.rels`), targets resolved. */
  async #relationships(partPath: string): Promise<(Relationship & { id: string })[]> {
    const folder = partPath.slice(0, partPath.lastIndexOf('/') + 1);
    const rels = await this.#xml(`${folder}_rels/${partPath.slice(folder.length)}.rels`);
    if (!rels) return [];
    return childElements(rels, NS.rels, 'Relationship').map((r) => {
      const target = r.attributes.get('Target') ?? '';
      const isExternal = r.attributes.get('TargetMode') === 'External';
      return { id: r.attributes.get('Id') ?? '', type: r.attributes.get('Type') ?? '', path: isExternal ? undefined : resolvePartPath(folder, target) };
    });
  }

  async #relationshipsById(partPath: string): Promise<Map<string, Relationship>> {
    return new Map((await this.#relationships(partPath)).map((r) => [r.id, r]));
  }
}

/** A relationship's target as a zip path: relative to the part's folder, or absolute from the package root. */
export function resolvePartPath(folder: string, target: string): string {
  const decoded = decodeURIComponent(target);
  const parts = decoded.startsWith('/') ? [] : folder.split('/').filter(Boolean);
  for (const piece of decoded.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece && piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

/** The shapes (p:sp) whose placeholder type passes `isWanted`; a p:ph without a type is "obj" (ECMA-376 19.3.1.36). */
function placeholderShapes(part: XmlElement, isWanted: (type: string) => boolean): XmlElement[] {
  return descendants(part, NS.p, 'sp').filter((shape) => {
    const placeholder = descendants(shape, NS.p, 'ph')[0];
    return placeholder !== undefined && isWanted(placeholder.attributes.get('type') ?? 'obj');
  });
}

/** A shape's text: each paragraph (a:p) a line, its runs joined, a:br a line break. */
function shapeText(shape: XmlElement): string {
  const paragraphs = descendants(shape, NS.a, 'p').map((paragraph) => paragraphText(paragraph));
  return paragraphs.join('\n').replace(/\s+$/, '');
}

function paragraphText(paragraph: XmlElement): string {
  let text = '';
  for (const child of paragraph.children) {
    if (typeof child === 'string' || child.namespace !== NS.a) continue;
    if (child.name === 'br') text += '\n';
    else if (child.name === 'r' || child.name === 'fld') text += childElements(child, NS.a, 't').map(textContent).join('');
  }
  return text;
}

/** The notes of every slide that has some, as `=== Slide N ===` blocks a blank line apart, and how many. */
export function formatSpeakerNotes(slides: readonly DeckSlide[]): { text: string; count: number } {
  const noted = slides.filter((s) => s.notes !== '');
  return { text: noted.map((s) => `=== Slide ${s.number} ===\n${s.notes}`).join('\n\n'), count: noted.length };
}

/** What a slide tells the model about its pictures: "Slide title: …; Speaker notes: …"; undefined when neither. */
export function describeSlideContext(slide: Pick<DeckSlide, 'title' | 'notes'>): string | undefined {
  const parts = [
    slide.title ? `Slide title: ${slide.title}` : '',
    slide.notes ? `Speaker notes: ${slide.notes.replace(/\s*\n\s*/g, ' ')}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
