import { describe, expect, it } from 'vitest';
import { NameCounts } from './name-counts.ts';

describe('NameCounts', () => {
  it('lists a name while any result names it, sorted, and says when the list changes', () => {
    const counts = new NameCounts();
    expect(counts.add('llava')).toBe(true);
    expect(counts.add('gemma3')).toBe(true);
    expect(counts.add('llava')).toBe(false);
    expect(counts.names()).toEqual(['gemma3', 'llava']);
    expect(counts.remove('llava')).toBe(false);
    expect(counts.names()).toEqual(['gemma3', 'llava']);
    expect(counts.remove('llava')).toBe(true);
    expect(counts.remove('never')).toBe(false);
    expect(counts.names()).toEqual(['gemma3']);
  });
});
