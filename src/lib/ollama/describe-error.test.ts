import { describe, expect, it } from 'vitest';
import { describeFailure, describePullFailure } from './describe-error.ts';
import { NotOllamaError, OllamaHttpError, OllamaStreamError, OllamaUnreachableError } from './errors.ts';

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

describe('describeFailure', () => {
  const proxyPage = new OllamaHttpError(404, "The server answered 404 Not Found with a web page, not Ollama's reply: is a proxy in front of Ollama?", true);

  it("does not blame a missing model for a proxy's 404 page", () => {
    expect(describeFailure(proxyPage, 'm')).toBe(proxyPage.message);
    expect(describeFailure(new OllamaHttpError(404, "model 'm' not found"), 'm')).toMatch(/^Ollama does not have the model "m"/);
  });

  it('passes on what a server that is not Ollama sent', () => {
    expect(describeFailure(new NotOllamaError('http://x', 'plain text: “hi”'), 'm')).toBe(
      'The server at http://x does not answer like Ollama: it sent plain text: “hi”. Check the address and port.',
    );
    expect(describePullFailure(proxyPage, 'm')).toBe(`Could not pull "m": ${proxyPage.message}`);
  });
});
