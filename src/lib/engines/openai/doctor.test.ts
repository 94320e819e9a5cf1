import { describe, expect, it } from 'vitest';
import { corsSteps, describeOpenAiFailure, explainBlocked, explainDetection, isAllowedByDefaultPolicy } from './doctor.ts';
import { OpenAiHttpError, OpenAiStreamError, OpenAiTruncatedError } from './errors.ts';

const ORIGIN = 'https://someone.github.io';

describe('corsSteps', () => {
  it("gives each server's own setting with this page's origin", () => {
    expect(corsSteps('vllm', ORIGIN)).toEqual([`Start vLLM with this page allowed: vllm serve <model> --allowed-origins '["${ORIGIN}"]'`]);
    expect(corsSteps('llama-server', ORIGIN).join('\n')).toContain(`--cors-origins ${ORIGIN}`);
    expect(corsSteps('lmstudio', ORIGIN).join('\n')).toMatch(/Enable CORS[\s\S]*lms server start --cors/);
    expect(corsSteps('litellm', ORIGIN).join('\n')).toContain(`LITELLM_CORS_ALLOW_ORIGINS="${ORIGIN}"`);
    expect(corsSteps('ollama', ORIGIN).join('\n')).toContain(`OLLAMA_ORIGINS="${ORIGIN}"`);
    expect(corsSteps(undefined, ORIGIN).join('\n')).toContain(ORIGIN);
  });
});

describe('explainDetection', () => {
  it('names the server and its CORS fix when CORS refuses the page', () => {
    const advice = explainDetection({ status: 'cors-refused', baseUrl: 'http://10.0.0.5:1234', flavourGuess: 'lmstudio' }, ORIGIN);
    expect(advice.headline).toBe(`LM Studio at http://10.0.0.5:1234 answers, but does not allow this page (${ORIGIN}).`);
    expect(advice.steps.join('\n')).toContain('lms server start --cors');
  });

  it('says what to do about keys, in words that promise where the key goes', () => {
    const missing = explainDetection({ status: 'key-missing', baseUrl: 'http://gpu:4000', message: 'Authentication Error, No api key passed in.' }, ORIGIN);
    expect(missing.headline).toMatch(/^This server needs an API key/);
    expect(missing.steps[0]).toContain('sent only to this server');
    expect(explainDetection({ status: 'key-refused', baseUrl: 'http://gpu:4000', message: 'x' }, ORIGIN).headline).toMatch(/^The API key was refused/);
    expect(explainDetection({ status: 'models-hidden', baseUrl: 'http://gpu:8000', flavourGuess: 'vllm', hasKey: false }, ORIGIN).headline).toMatch(/needs an API key/);
  });

  it('for a dead address, checks the port, the network and the security policy', () => {
    const advice = explainDetection({ status: 'unreachable', baseUrl: 'http://gpu:5000' }, ORIGIN);
    expect(advice.headline).toBe('Nothing answers at http://gpu:5000.');
    expect(advice.steps.join('\n')).toMatch(/--host 0\.0\.0\.0[\s\S]*LENSCRIBE_CONNECT_SRC="http:\/\/gpu:5000"/);
    expect(explainDetection({ status: 'unreachable', baseUrl: 'http://localhost:8000', flavourGuess: 'vllm' }, ORIGIN).steps).toEqual([
      'Check that vLLM is running and that the address and port are right (vLLM listens on port 8000 by default).',
    ]);
  });
});

describe('isAllowedByDefaultPolicy and explainBlocked', () => {
  it("matches the CSP's connect-src", () => {
    expect(isAllowedByDefaultPolicy('http://192.168.1.9:8000')).toBe(true);
    expect(isAllowedByDefaultPolicy('https://gpu.lan:9931')).toBe(true);
    expect(isAllowedByDefaultPolicy('http://localhost:5555')).toBe(true);
    expect(isAllowedByDefaultPolicy('http://gpu.lan:5555')).toBe(false);
    expect(isAllowedByDefaultPolicy('https://llm.example')).toBe(false);
    expect(explainBlocked('https://llm.example/v1/models').steps).toEqual(['Build Lenscribe with the address allowed: LENSCRIBE_CONNECT_SRC="https://llm.example" npm start']);
  });
});

describe('describeOpenAiFailure', () => {
  it("explains each problem with the server's own words", () => {
    const say = (error: unknown, flavour?: 'vllm' | 'llama-server') => describeOpenAiFailure(error, { model: 'm', flavour });
    expect(say(new OpenAiHttpError(404, 'The model `m` does not exist.', 'model-not-found'), 'vllm')).toBe(
      'vLLM does not have the model "m" (it said: The model `m` does not exist.).',
    );
    expect(say(new OpenAiHttpError(500, 'image input is not supported', 'no-vision'), 'llama-server')).toContain('--mmproj');
    expect(say(new OpenAiHttpError(401, 'Unauthorized', 'key-missing'))).toMatch(/^This server needs an API key/);
    expect(say(new OpenAiStreamError('out of memory'))).toBe('The model stopped with an error: out of memory');
    expect(say(new OpenAiTruncatedError())).toContain('closed the reply before it finished');
  });
});
