// How each OpenAI-compatible server differs on the wire, from docs/openai-compatible.md (section
// numbers below). Where the doc says [unverified], the fake picks a plausible answer and says so.

export type FakeFlavour = 'vllm' | 'llama-server' | 'lmstudio' | 'litellm' | 'ollama-v1';

/** Which error a handler raises; each flavour words and shapes it its own way (§3, §4, §6). */
export type ErrorKind = 'model-not-found' | 'no-vision' | 'bad-image' | 'bad-request' | 'server' | 'key-missing' | 'key-refused';

export interface FlavourProfile {
  /** `owned_by` in /v1/models (§1). */
  ownedBy: string;
  /** Status and headers only once the first token is ready (§9.2); vLLM answers as soon as it validated. */
  hasLateHeaders: boolean;
  /** `content` of the first, role-only delta: null (llama.cpp) or "" (§2); undefined = no role chunk (Ollama). */
  firstContent: null | '' | undefined;
  /** finish_reason on its own `delta: {}` chunk (llama.cpp, Ollama) or on the last content chunk (vLLM) (§2). */
  hasOwnFinishChunk: boolean;
  reasoningField: 'reasoning' | 'reasoning_content';
  /** §9.3: error then [DONE] (vLLM), error then close, or Ollama's empty delta then close. */
  midStreamError: 'error-then-done' | 'error-then-close' | 'empty-delta-then-close';
  /** The request's `model` is ignored (llama-server; LM Studio with one model loaded) (§1, #619). */
  ignoresModel: 'always' | 'one-loaded' | 'never';
  hasLogprobs: boolean;
  /** Paths that need the API key when one is set (§6). */
  needsKey(path: string): boolean;
  /** A 401 keeps the CORS headers (llama-server, LiteLLM) or not (vLLM's outer middleware) (§5). */
  authHasCors: boolean;
  contentType: string;
}

export const PROFILES: Record<FakeFlavour, FlavourProfile> = {
  vllm: {
    ownedBy: 'vllm',
    hasLateHeaders: false,
    firstContent: '',
    hasOwnFinishChunk: false,
    reasoningField: 'reasoning',
    midStreamError: 'error-then-done',
    ignoresModel: 'never',
    hasLogprobs: true,
    // serve/middleware/authenticate.py guards /v1 only; /health, /version stay open.
    needsKey: (path) => path.startsWith('/v1'),
    authHasCors: false,
    contentType: 'text/event-stream; charset=utf-8',
  },
  'llama-server': {
    ownedBy: 'llamacpp',
    hasLateHeaders: true,
    firstContent: null,
    hasOwnFinishChunk: true,
    reasoningField: 'reasoning_content',
    midStreamError: 'error-then-close',
    ignoresModel: 'always',
    hasLogprobs: true,
    needsKey: (path) => !['/health', '/models', '/v1/models'].includes(path),
    authHasCors: true,
    contentType: 'text/event-stream',
  },
  lmstudio: {
    ownedBy: 'organization_owner',
    hasLateHeaders: true,
    firstContent: '',
    hasOwnFinishChunk: true,
    reasoningField: 'reasoning_content',
    // [unverified] in the doc: the fake sends the error as a string, then closes.
    midStreamError: 'error-then-close',
    ignoresModel: 'one-loaded',
    hasLogprobs: false,
    needsKey: () => true,
    authHasCors: true,
    contentType: 'text/event-stream',
  },
  litellm: {
    ownedBy: 'openai',
    hasLateHeaders: true,
    firstContent: '',
    hasOwnFinishChunk: true,
    reasoningField: 'reasoning_content',
    midStreamError: 'error-then-close',
    ignoresModel: 'never',
    hasLogprobs: false,
    needsKey: (path) => !path.startsWith('/health'),
    authHasCors: true,
    contentType: 'text/event-stream; charset=utf-8',
  },
  'ollama-v1': {
    ownedBy: 'library',
    hasLateHeaders: true,
    firstContent: undefined,
    hasOwnFinishChunk: true,
    reasoningField: 'reasoning',
    midStreamError: 'empty-delta-then-close',
    ignoresModel: 'never',
    hasLogprobs: true,
    needsKey: () => false,
    authHasCors: true,
    contentType: 'text/event-stream',
  },
};

/** The status and JSON body this flavour answers an error with. */
export function errorResponse(flavour: FakeFlavour, kind: ErrorKind, detail: { model?: string; message?: string } = {}): { status: number; body: unknown } {
  const model = detail.model ?? '';
  switch (flavour) {
    case 'vllm': {
      if (kind === 'key-missing' || kind === 'key-refused') return { status: 401, body: { error: 'Unauthorized' } };
      const [status, type, message] =
        kind === 'model-not-found' ? [404, 'NotFoundError', `The model \`${model}\` does not exist.`]
        : kind === 'no-vision' ? [400, 'BadRequestError', `${model} is not a multimodal model`]
        : kind === 'server' ? [500, 'InternalServerError', detail.message ?? 'Internal server error']
        : [400, 'BadRequestError', detail.message ?? 'Invalid image data'];
      return { status, body: { error: { message, type, param: null, code: status } } };
    }
    case 'llama-server': {
      const [status, type, message] =
        kind === 'key-missing' || kind === 'key-refused' ? [401, 'authentication_error', 'Invalid API Key']
        : kind === 'no-vision' ? [500, 'server_error', 'image input is not supported - hint: if this is unexpected, you may need to provide the mmproj']
        : kind === 'bad-image' ? [400, 'invalid_request_error', 'Failed to load image or audio file']
        : kind === 'server' ? [500, 'server_error', detail.message ?? 'Internal server error']
        : [400, 'invalid_request_error', detail.message ?? 'Invalid request'];
      return { status, body: { error: { code: status, message, type } } };
    }
    case 'lmstudio':
      if (kind === 'model-not-found') {
        return {
          status: 404,
          body: { error: { message: `Invalid model identifier "${model}". Please specify a valid downloaded model.`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } },
        };
      }
      // [unverified] key errors: LM Studio ≥0.4.0 tokens; the fake sends a string error.
      if (kind === 'key-missing' || kind === 'key-refused') return { status: 401, body: { error: 'Invalid or missing API token' } };
      if (kind === 'no-vision') return { status: 400, body: { error: 'Model does not support images. Please use a model that does.' } };
      return { status: kind === 'server' ? 500 : 400, body: { error: detail.message ?? 'Failed to process image' } };
    case 'litellm': {
      const [status, type, message] =
        kind === 'key-missing' ? [401, 'auth_error', 'Authentication Error, No api key passed in.']
        : kind === 'key-refused' ? [401, 'auth_error', 'Authentication Error, Invalid proxy server token passed. Unable to find token in cache or `LiteLLM_VerificationTokenTable`']
        : kind === 'model-not-found'
          ? [400, 'None', `{'error': '/chat/completions: Invalid model name passed in model=${model}. Call \`/v1/models\` to view available models for your key.'}`]
        : kind === 'server' ? [500, 'None', detail.message ?? 'litellm.InternalServerError']
        : [400, 'None', detail.message ?? `litellm.BadRequestError: ${model} does not support images`];
      // LiteLLM sends `code` as a string.
      return { status, body: { error: { message, type, param: 'None', code: String(status) } } };
    }
    case 'ollama-v1': {
      const [status, type, message] =
        kind === 'model-not-found' ? [404, 'not_found_error', `model '${model}' not found`]
        : kind === 'bad-image' ? [400, 'invalid_request_error', detail.message ?? 'invalid image input']
        : kind === 'server' ? [500, 'api_error', detail.message ?? 'internal error']
        : [400, 'invalid_request_error', detail.message ?? 'invalid request'];
      return { status, body: { error: { message, type, param: null, code: null } } };
    }
  }
}

/** The body a flavour streams as an error object mid-stream (§4, §9.3). */
export function streamErrorBody(flavour: FakeFlavour, message: string): unknown {
  switch (flavour) {
    case 'vllm':
      return { error: { message, type: 'BadRequestError', param: null, code: 400 } };
    case 'llama-server':
      return { error: { code: 500, message, type: 'server_error' } };
    case 'litellm':
      return { error: { message, type: 'None', param: 'None', code: '500' } };
    default:
      return { error: message };
  }
}
