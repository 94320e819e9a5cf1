// Folds /api/pull's stream into one progress figure: per layer `completed`/`total`, then the
// verifying and writing steps, which carry no byte counts.
import type { PullProgress } from './wire.ts';

/** Where a pull stands. */
export interface PullSummary {
  status: string;
  completed: number;
  total: number;
  /** Whole percent of the bytes known so far, 0 until a layer reports its size. */
  percent: number;
}

/** Add one progress line to the per-layer byte counts and summarise. */
export function foldPullProgress(layers: Map<string, { completed: number; total: number }>, line: PullProgress): PullSummary {
  // Ollama omits `completed` while it is zero (omitempty), so a layer's first line has only total.
  if (line.digest && line.total) layers.set(line.digest, { completed: line.completed ?? 0, total: line.total });
  let completed = 0;
  let total = 0;
  for (const layer of layers.values()) {
    completed += layer.completed;
    total += layer.total;
  }
  // Floor, so 100% means every byte is in rather than 99.6% rounded up.
  const percent = total > 0 ? Math.floor((completed / total) * 100) : 0;
  return { status: line.status ?? '', completed, total, percent };
}
