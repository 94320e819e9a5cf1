import { describe, expect, it } from 'vitest';
import { jobKey } from './keys.ts';

describe('jobKey', () => {
  const options = { temperature: 0, num_predict: 100, maxSide: 1536 };
  it('is the same for the same image, model, prompt and options in any key order', () => {
    expect(jobKey('abc', 'm', 'p', options)).toBe(jobKey('abc', 'm', 'p', { maxSide: 1536, num_predict: 100, temperature: 0 }));
  });
  it('differs when the prompt, model, options or image differ', () => {
    const base = jobKey('abc', 'm', 'p', options);
    expect(jobKey('abc', 'm', 'p2', options)).not.toBe(base);
    expect(jobKey('abc', 'm2', 'p', options)).not.toBe(base);
    expect(jobKey('abd', 'm', 'p', options)).not.toBe(base);
    expect(jobKey('abc', 'm', 'p', { ...options, temperature: 0.1 })).not.toBe(base);
  });
});
