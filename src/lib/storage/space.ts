// How much room the library has: the browser's estimate of what this site uses and may use.

/** Warn when less than this is left… */
export const LOW_SPACE_BYTES = 200 * 1024 ** 2;
/** …or less than this share of the quota. */
export const LOW_SPACE_SHARE = 0.1;

/** The site's storage as the user is told about it. */
export interface StorageSpace {
  used: number;
  quota: number;
  free: number;
  /** Close enough to full to warn before a save fails. */
  isLow: boolean;
}

/** Judge an estimate (navigator.storage.estimate()); undefined when the browser gives no figures. */
export function assessSpace(estimate: StorageEstimate | undefined): StorageSpace | undefined {
  if (estimate?.usage === undefined || !estimate.quota) return undefined;
  const used = estimate.usage;
  const quota = estimate.quota;
  const free = Math.max(0, quota - used);
  return { used, quota, free, isLow: free < LOW_SPACE_BYTES || free < quota * LOW_SPACE_SHARE };
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** 1536 → "1.5 KB", 734003200 → "700 MB": powers of 1024, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits).replace(/\.0$/, '')} ${UNITS[unit]}`;
}

/** One sentence for the meter, e.g. "12 MB used · 1.2 GB free". */
export function describeSpace(space: StorageSpace): string {
  return `${formatBytes(space.used)} used · ${formatBytes(space.free)} free`;
}
