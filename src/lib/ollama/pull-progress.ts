// Folds /api/pull's stream into one progress figure: per layer `completed`/`total`, then the
// verifying and writing steps, which carry no byte counts.
import type { PullProgress } from './wire.ts';

/** Where a pull stands. */
export interface PullSummary {
  status: string;
  completed: number;
  total: number;
}

/** Add one progress line to the per-layer byte counts and summarise. */
export function foldPullProgress(layers: Map<string, { completed: number; total: number }>, line: PullProgress): PullSummary {
  if (line.digest && line.total) layers.set(line.digest, { completed: line.completed ?? 0, total: line.total });
  let completed = 0;
  let total = 0;
  for (const layer of layers.values()) {
    completed += layer.completed;
    total += layer.total;
  }
  return { status: line.status ?? '', completed, total };
}
