import { describe, expect, it } from 'vitest';
import { collectDroppedFiles } from './collect-files.ts';

type FakeEntry = { isFile: boolean; isDirectory: boolean; name: string; fullPath: string; file?: (ok: (f: File) => void) => void; createReader?: () => unknown };

function fileEntry(path: string): FakeEntry {
  const name = path.split('/').pop() as string;
  return { isFile: true, isDirectory: false, name, fullPath: `/${path}`, file: (ok) => ok(new File(['x'], name)) };
}

/** A folder whose reader hands out entries in batches, as Chromium does (100 at a time). */
function folder(path: string, children: FakeEntry[], batch = 2): FakeEntry {
  return {
    isFile: false, isDirectory: true, name: path, fullPath: `/${path}`,
    createReader: () => {
      let at = 0;
      return { readEntries: (ok: (e: FakeEntry[]) => void) => { ok(children.slice(at, at + batch)); at += batch; } };
    },
  };
}

function drop(entries: FakeEntry[]): DataTransfer {
  return {
    items: entries.map((entry) => ({ kind: 'file', webkitGetAsEntry: () => entry })),
    files: [],
  } as unknown as DataTransfer;
}

describe('collectDroppedFiles', () => {
  it('walks folders recursively, reading every batch, keeping paths and skipping hidden files', async () => {
    const tree = folder('scans', [
      fileEntry('scans/page10.png'),
      fileEntry('scans/page2.png'),
      fileEntry('scans/.DS_Store'),
      folder('scans/receipts', [fileEntry('scans/receipts/a.jpg'), fileEntry('scans/receipts/b.jpg'), fileEntry('scans/receipts/c.jpg')]),
    ]);
    const files = await collectDroppedFiles(drop([tree, fileEntry('loose.jpg')]));
    expect(files.map((f) => f.name)).toEqual([
      'loose.jpg', 'scans/page2.png', 'scans/page10.png', 'scans/receipts/a.jpg', 'scans/receipts/b.jpg', 'scans/receipts/c.jpg',
    ]);
  });
});
