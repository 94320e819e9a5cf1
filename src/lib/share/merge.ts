// Which imported versions to write: every version new here, none replacing one that is here.
import { importedVersionKey } from '../library/keys.ts';
import { hasSameContent, isSameVersion, mergeVersion } from '../library/versions.ts';
import type { ResultRecord } from '../library/types.ts';

/** What to write after an import, and how many incoming versions were here already. */
export interface MergePlan {
  toWrite: ResultRecord[];
  skipped: number;
}

const taskOf = (r: ResultRecord) => `${r.sha256}\u0000${r.taskId}`;
const contentOf = (r: ResultRecord) => `${r.jobKey}\u0000${r.author}\u0000${r.createdAt}`;

/**
 * Merge by version key: a version new here is added with its provenance; one already here only
 * gains the incoming verification; one whose key holds another text here (an export from before
 * versions, keyed by its ask) gets a key of its own. Nothing here is replaced, so a person's and a
 * verified text stay. An imported choice of preferred version counts only for a task this library
 * has no version of: here, the person's own choices stand.
 */
export function mergeImported(existing: readonly ResultRecord[], incoming: readonly ResultRecord[]): MergePlan {
  const current = new Map(existing.map((result) => [result.key, result]));
  const tasksHere = new Set(existing.map(taskOf));
  const contents = new Map<string, ResultRecord[]>();
  for (const result of existing) {
    const same = contents.get(contentOf(result));
    if (same) same.push(result);
    else contents.set(contentOf(result), [result]);
  }
  const planned = new Map<string, ResultRecord>();
  let skipped = 0;
  for (const result of incoming) {
    // The same text of the same ask by the same author at the same time is here under another key.
    if (contents.get(contentOf(result))?.some((here) => hasSameContent(here, result) && here.key !== result.key)) {
      skipped++;
      continue;
    }
    let version: ResultRecord = { ...result };
    if (tasksHere.has(taskOf(result))) delete version.preferredAt;
    const find = (key: string) => planned.get(key) ?? current.get(key);
    let here = find(version.key);
    if (here && !isSameVersion(here, version)) {
      version = { ...version, key: importedVersionKey(version) };
      here = find(version.key);
    }
    const write = mergeVersion(here, version);
    if (write) planned.set(write.key, write);
    else skipped++;
  }
  const toWrite = [...planned.values()];
  return { toWrite, skipped };
}
