// Typed failures of reading and writing zip archives, so callers can show the message as it is.

/** The archive would break the zip format's limits (fflate 0.8 writes no Zip64). */
export class ZipTooLargeError extends Error {
  override readonly name = 'ZipTooLargeError';
}

/** A file is not a zip archive this reader accepts, or is damaged. */
export class ZipReadError extends Error {
  override readonly name = 'ZipReadError';
}
