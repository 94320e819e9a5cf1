import { describe, expect, it } from 'vitest';
import { canonicalModelName, findModelName, formatModelSize, pickDefaultModel } from './models.ts';

describe('model names', () => {
  it('resolves a bare name to its latest tag, ignoring case', () => {
    expect(canonicalModelName('Moondream')).toBe('moondream:latest');
    expect(canonicalModelName('gemma3:4b')).toBe('gemma3:4b');
    expect(canonicalModelName('hf.co/org/model')).toBe('hf.co/org/model:latest');
    expect(findModelName(['gemma3:4b', 'moondream:latest'], 'moondream')).toBe('moondream:latest');
    expect(findModelName(['gemma3:4b'], 'gemma3:12b')).toBeUndefined();
  });

  it('prefers a suggested vision model, else the first one', () => {
    expect(pickDefaultModel(['llava:7b', 'qwen2.5vl:3b', 'gemma3:4b'])).toBe('gemma3:4b');
    expect(pickDefaultModel(['llava:7b', 'llama3.2-vision:11b'])).toBe('llama3.2-vision:11b');
    expect(pickDefaultModel(['llava:7b', 'moondream:latest'])).toBe('moondream:latest');
    expect(pickDefaultModel(['llava:7b'])).toBe('llava:7b');
    expect(pickDefaultModel([])).toBeUndefined();
  });

  it('prints sizes as ollama list does', () => {
    expect(formatModelSize(3_338_801_804)).toBe('3.3 GB');
    expect(formatModelSize(829_600_000)).toBe('830 MB');
    expect(formatModelSize(undefined)).toBe('');
  });
});
