// Typed failures of import, so the UI can say what happened and what to do.

/** A file chosen for import is not a Lenscribe export, or is damaged; nothing was written. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}
