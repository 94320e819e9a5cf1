// An image's texts as versions: which one is preferred for each task, and how records from
// before versions are read. Pure functions, so every rule here is unit-tested.
import type { ResultRecord } from './types.ts';

/** A stored result as this version reads it: records from before versions get their ask's key. */
export function migrateResult(stored: ResultRecord): ResultRecord {
  // Before versions, a result was stored under its ask's jobKey, one per ask.
  return stored.jobKey ? stored : { ...stored, jobKey: stored.key };
}

/** Newest first; versions made in the same millisecond by key, so every list of versions has one order. */
export const newestFirst = (a: ResultRecord, b: ResultRecord) => b.createdAt - a.createdAt || b.key.localeCompare(a.key);

/** One image's versions (newest first) with `version` put in its place, replacing any of the same key: O(versions), no sort. */
export function withVersion(versions: readonly ResultRecord[], version: ResultRecord): ResultRecord[] {
  const out: ResultRecord[] = [];
  let isPlaced = false;
  for (const v of versions) {
    if (v.key === version.key) continue;
    if (!isPlaced && newestFirst(version, v) <= 0) {
      out.push(version);
      isPlaced = true;
    }
    out.push(v);
  }
  if (!isPlaced) out.push(version);
  return out;
}

/**
 * The version to use among one image's versions for one task: the one a person chose last (picked,
 * edited or verified); else the newest verified; else the newest a person wrote; else the newest.
 * A new model run never displaces a person's or a verified text: only a person's choice does.
 */
export function pickPreferredVersion(versions: readonly ResultRecord[]): ResultRecord | undefined {
  let best: ResultRecord | undefined;
  for (const version of versions) if (!best || ranksAbove(version, best)) best = version;
  return best;
}

/** Rank: a person's choice (latest first), then verified, then a person's text, then newest. */
function ranksAbove(a: ResultRecord, b: ResultRecord): boolean {
  const chosenA = a.preferredAt ?? -Infinity;
  const chosenB = b.preferredAt ?? -Infinity;
  if (chosenA !== chosenB) return chosenA > chosenB;
  const verifiedA = a.verifiedAt !== undefined;
  if (verifiedA !== (b.verifiedAt !== undefined)) return verifiedA;
  if (verifiedA && a.verifiedAt !== b.verifiedAt) return (a.verifiedAt ?? 0) > (b.verifiedAt ?? 0);
  if (a.author !== b.author) return a.author === 'person';
  return newestFirst(a, b) < 0;
}

/** One image's versions grouped by task, each group newest first. */
export function groupVersionsByTask(versions: readonly ResultRecord[]): Map<string, ResultRecord[]> {
  const groups = new Map<string, ResultRecord[]>();
  for (const version of versions) {
    const group = groups.get(version.taskId);
    if (group) group.push(version);
    else groups.set(version.taskId, [version]);
  }
  for (const group of groups.values()) group.sort(newestFirst);
  return groups;
}

/** The preferred version of each task of one image, the task worked on last first. */
export function listPreferredVersions(versions: readonly ResultRecord[]): ResultRecord[] {
  const groups = [...groupVersionsByTask(versions).values()];
  // Groups are newest first, so a group's first version says when its task was last worked on.
  groups.sort((a, b) => newestFirst(a[0]!, b[0]!));
  return groups.map((group) => pickPreferredVersion(group)!);
}

/** The one text an image shows in the list, copies and exports first: the preferred version of its latest task. */
export function pickPreferredResult(versions: readonly ResultRecord[]): ResultRecord | undefined {
  return listPreferredVersions(versions)[0];
}

/** Each model's newest model-written text among `versions`, by model, newest first. */
export function newestByModel(versions: readonly ResultRecord[]): Map<string, ResultRecord> {
  const newest = new Map<string, ResultRecord>();
  for (const version of [...versions].sort(newestFirst)) {
    if (version.author === 'model' && !newest.has(version.model)) newest.set(version.model, version);
  }
  return newest;
}

/**
 * The versions of one task shown side by side: the preferred one first, then each model's newest
 * text that is not preferred and that no person has edited (an edit stands for the text it came from).
 */
export function listShownVersions(group: readonly ResultRecord[]): ResultRecord[] {
  const preferred = pickPreferredVersion(group);
  if (!preferred) return [];
  const editedFrom = new Set(group.flatMap((v) => (v.editedFrom ? [v.editedFrom] : [])));
  const others = [...newestByModel(group).values()].filter((v) => v !== preferred && !editedFrom.has(v.key));
  return [preferred, ...others];
}

/** True when two records are the same version: same key, author and text (marks a person adds later aside). */
export function isSameVersion(a: ResultRecord, b: ResultRecord): boolean {
  return a.key === b.key && a.author === b.author && a.text === b.text;
}

/** True when two records hold the same text of the same ask by the same author at the same time, whatever their keys. */
export function hasSameContent(a: ResultRecord, b: ResultRecord): boolean {
  return a.jobKey === b.jobKey && a.author === b.author && a.text === b.text && a.createdAt === b.createdAt;
}

/**
 * What to store for an incoming version of the same key as `current`: the incoming one when the key
 * is free; the stored one with the incoming verification when the same version is already there
 * (a verification is only ever added); undefined when there is nothing to write.
 */
export function mergeVersion(current: ResultRecord | undefined, incoming: ResultRecord): ResultRecord | undefined {
  if (!current) return incoming;
  if (!isSameVersion(current, incoming)) return undefined;
  if (incoming.verifiedAt !== undefined && current.verifiedAt === undefined) return { ...current, verifiedAt: incoming.verifiedAt };
  return undefined;
}

/** The time to record for a person's choice now: later than any earlier choice in the group, so the newest choice always wins. */
export function nextChoiceTime(group: readonly ResultRecord[], now: number): number {
  return Math.max(now, ...group.map((v) => (v.preferredAt ?? -Infinity) + 1));
}
