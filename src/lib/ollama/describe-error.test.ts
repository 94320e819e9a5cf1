import { describe, expect, it } from 'vitest';
import { describePullFailure } from './describe-error.ts';
import { OllamaHttpError, OllamaStreamError, OllamaUnreachableError } from './errors.ts';

describe('describePullFailure', () => {
  it("names the model and keeps Ollama's own words", () => {
    expect(describePullFailure(new OllamaStreamError('pull model manifest: file does not exist'), 'nope:1b')).toBe(
      'Ollama could not pull "nope:1b": pull model manifest: file does not exist',
    );
    expect(describePullFailure(new OllamaHttpError(400, 'invalid model name'), 'a b')).toBe('Ollama could not pull "a b": invalid model name');
  });

  it('says when Ollama went away mid-download', () => {
    expect(describePullFailure(new OllamaUnreachableError('http://x'), 'm')).toMatch(/Lost the connection to Ollama while pulling "m"/);
  });
});
