// Typed failures of export and import, so the UI can say what happened and what to do.

/** The archive would break the zip format's limits (fflate 0.8 writes no Zip64). */
export class ExportTooLargeError extends Error {
  override readonly name = 'ExportTooLargeError';
}

/** A file chosen for import is not a Lenscribe export, or is damaged; nothing was written. */
export class ImportError extends Error {
  override readonly name = 'ImportError';
}
