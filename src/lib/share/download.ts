// Handing a finished export to the person: a download, or the share sheet where files can be shared.

// FileSaver.js waits 40 s: revoking at once cancels the download in some browsers (Safari, old Firefox).
const REVOKE_DELAY_MS = 40_000;

/** Save `blob` as `filename` through a temporary object URL. */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  // While a modal dialog is open everything outside it is inert, and Chromium ignores a click on an inert link.
  (document.querySelector('dialog[open]') ?? document.body).append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_DELAY_MS);
}

/** Whether this browser can share `file` (Web Share Level 2: mostly mobile and Safari). */
export function canShareFiles(file: File): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.canShare === 'function' && navigator.canShare({ files: [file] });
}

/** Open the share sheet with `file`: true once shared, false if the person closed the sheet. */
export async function shareFile(file: File): Promise<boolean> {
  try {
    await navigator.share({ files: [file], title: file.name });
    return true;
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return false;
    throw error;
  }
}
