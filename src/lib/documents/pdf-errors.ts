// Why a PDF cannot be opened, in words a user can act on, from the name of pdf.js's exception.

/** A PDF Lenscribe cannot read (encrypted, damaged, empty); its message is for the user. */
export class UnreadablePdfError extends Error {
  override readonly name = 'UnreadablePdfError';
}

/** The sentence for a failure of pdf.js's getDocument, by the exception's name. */
export function describePdfFailure(error: unknown): string {
  const name = error instanceof Error || (typeof error === 'object' && error !== null) ? String((error as { name?: unknown }).name) : '';
  switch (name) {
    case 'PasswordException':
      return 'This PDF is protected by a password, so its pages cannot be read. Save a copy without the password and drop that.';
    case 'InvalidPDFException':
      return 'This PDF is damaged or incomplete: its pages could not be found. Download or export it again.';
    case 'UnreadablePdfError':
      return (error as Error).message;
    default:
      return `This PDF could not be opened: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The message for a PDF that opens but has no pages. */
export const EMPTY_PDF_MESSAGE = 'This PDF has no pages.';
