// A document the user dropped (a PDF, a slide deck): kept as one record, while each of its pages
// or slide pictures becomes an image of its own in the library, pointing back to it.

/** The kinds of document Lenscribe opens. */
export type DocumentKind = 'pdf' | 'pptx';

/** One dropped document; its pages or pictures are ImageRecords whose `source` names it. */
export interface DocumentRecord {
  /** Hex SHA-256 of the document's bytes: its identity, as an image's is. */
  id: string;
  /** File name as dropped. */
  name: string;
  kind: DocumentKind;
  /** Size of the file in bytes. */
  size: number;
  /** Pages of a PDF, slides of a deck. */
  partCount: number;
  /** Epoch milliseconds. */
  addedAt: number;
  /** Text read without a model: a deck's speaker notes as `=== Slide N ===` blocks. */
  notes?: string;
  /** How many slides had notes ("Extracted 12 slides with notes"). */
  notedPartCount?: number;
}

/** Where an image came from, when it was not dropped as an image file of its own. */
export interface ImageSource {
  /** The document (DocumentRecord.id) the image is a page or a picture of. */
  documentId?: string;
  /** 1-based page of a PDF, or slide of a deck. */
  part?: number;
  /** The address the image was fetched from (an image added by URL). */
  url?: string;
  /** What the source says about the image, added to its prompt: "Slide title: …; Speaker notes: …". */
  context?: string;
}
