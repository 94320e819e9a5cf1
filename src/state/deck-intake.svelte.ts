// Opens dropped slide decks: their speaker notes are kept on the deck's record (read without a
// model), and the pictures on their slides go through the normal intake, queued for alt text with
// the slide's title and notes as context. A deck that cannot be read is listed with the reason.
import { DeckReadError, describeSlideContext, formatSpeakerNotes } from '../lib/documents/pptx.ts';
import type { ReadDeck } from '../lib/documents/pptx-client.ts';
import type { DocumentRecord } from '../lib/documents/types.ts';
import type { NamedFile } from '../lib/input/collect-files.ts';
import type { IntakeFile, IntakeState } from './intake.svelte.ts';
import type { LibraryState } from './library.svelte.ts';

/** What DeckIntakeState works with. */
export interface DeckIntakeDeps {
  /** Reads a deck off the main thread (pptx-client's readDeckInWorker). */
  readDeck: (file: Blob, signal?: AbortSignal) => Promise<ReadDeck>;
  library: Pick<LibraryState, 'addDocument' | 'reject' | 'documents'>;
  intake: Pick<IntakeState, 'add'>;
}

/** The task a deck's pictures are queued for. */
export const DECK_PICTURE_TASK = 'alt-text';

/** "Extracted 12 slides with notes". */
export function describeNotesCount(count: number): string {
  return `Extracted ${count.toLocaleString('en-US')} ${count === 1 ? 'slide' : 'slides'} with notes`;
}

/** Adding .pptx decks. */
export class DeckIntakeState {
  #reading = $state(0);
  readonly #deps: DeckIntakeDeps;

  constructor(deps: DeckIntakeDeps) {
    this.#deps = deps;
  }

  /** Decks are being read. */
  get isBusy() { return this.#reading > 0; }
  /** The decks in the library, newest first. */
  get decks(): DocumentRecord[] { return this.#deps.library.documents.filter((d) => d.kind === 'pptx').reverse(); }

  /** What a deck gave: "Extracted 2 slides with notes". */
  summaryOf(deck: DocumentRecord): string {
    return describeNotesCount(deck.notedPartCount ?? 0);
  }

  /** Read each deck in turn; one that fails is listed with its reason while the others carry on. */
  async add(decks: NamedFile[], signal?: AbortSignal): Promise<void> {
    this.#reading += decks.length;
    let left = decks.length;
    try {
      for (const deck of decks) {
        await this.#addDeck(deck, signal).catch((error: unknown) => {
          if (signal?.aborted) throw error;
          const reason = error instanceof DeckReadError ? error.message : `This deck could not be read: ${error instanceof Error ? error.message : String(error)}`;
          this.#deps.library.reject({ id: crypto.randomUUID(), name: deck.name, reason });
        });
        left--;
        this.#reading--;
      }
    } finally {
      // Stopped part-way (aborted): the decks not read no longer count as being read.
      this.#reading -= left;
    }
  }

  async #addDeck({ file, name }: NamedFile, signal?: AbortSignal): Promise<void> {
    const deck = await this.#deps.readDeck(file, signal);
    const notes = formatSpeakerNotes(deck.slides);
    const record: DocumentRecord = {
      id: deck.sha256, name, kind: 'pptx', size: file.size, partCount: deck.slides.length, addedAt: Date.now(),
      notes: notes.text, notedPartCount: notes.count,
    };
    await this.#deps.library.addDocument(record);
    const pictures: IntakeFile[] = deck.slides.flatMap((slide) =>
      slide.pictures.map((picture) => {
        const context = describeSlideContext(slide);
        return {
          name: `${name} — slide ${slide.number} — ${picture.name}`,
          file: new File([picture.blob], picture.name, { type: picture.blob.type }),
          source: { documentId: record.id, part: slide.number, ...(context && { context }) },
        };
      }),
    );
    if (pictures.length > 0) await this.#deps.intake.add(pictures, { taskId: DECK_PICTURE_TASK });
  }
}
