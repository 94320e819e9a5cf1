// Ollama's timings in words.
import type { ChatMetrics } from './wire.ts';

/** "312 tokens · 14.2 tok/s · 22.0 s" from Ollama's nanosecond metrics; empty parts are left out. */
export function describeMetrics(metrics: ChatMetrics): string {
  const parts: string[] = [];
  if (metrics.eval_count) parts.push(`${metrics.eval_count} tokens`);
  if (metrics.eval_count && metrics.eval_duration) parts.push(`${(metrics.eval_count / (metrics.eval_duration / 1e9)).toFixed(1)} tok/s`);
  if (metrics.total_duration) parts.push(`${(metrics.total_duration / 1e9).toFixed(1)} s`);
  return parts.join(' · ');
}
