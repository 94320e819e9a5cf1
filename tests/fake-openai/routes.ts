// The plain GET routes of each flavour: /v1/models, and each server's own endpoints that tell what
// it is and which models see images (docs/openai-compatible.md §1 and the table's "vision flag").
import type { FakeFlavour } from './flavours.ts';
import { PROFILES } from './flavours.ts';
import type { FakeOpenAiModel } from './state.ts';

/** A JSON body, or a text body with its type. */
export interface RouteAnswer {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
}

interface RouteState {
  models: readonly FakeOpenAiModel[];
  totalSlots: number;
  listsCapabilities: boolean;
}

const CREATED = 1_764_000_000;

function modelList(flavour: FakeFlavour, state: RouteState): unknown {
  const data = state.models.map((m) => ({
    id: m.id,
    object: 'model',
    created: CREATED,
    owned_by: PROFILES[flavour].ownedBy,
    ...(flavour === 'vllm' ? { root: m.id, parent: null, max_model_len: 32768, permission: [] } : {}),
    ...(flavour === 'llama-server' && state.listsCapabilities ? { architecture: { input_modalities: m.vision ? ['text', 'image'] : ['text'] } } : {}),
  }));
  const extra =
    flavour === 'llama-server' && state.listsCapabilities
      ? { models: state.models.map((m) => ({ name: m.id, model: m.id, capabilities: m.vision ? ['completion', 'multimodal'] : ['completion'] })) }
      : {};
  return { object: 'list', data, ...extra };
}

function notFound(flavour: FakeFlavour, method: string, path: string): RouteAnswer {
  switch (flavour) {
    case 'vllm':
    case 'litellm':
      return { status: 404, body: { detail: 'Not Found' } };
    case 'llama-server':
      return { status: 404, body: { error: { code: 404, message: 'File Not Found', type: 'not_found_error' } } };
    case 'lmstudio':
      // [unverified] LM Studio answers unknown routes with a 200 carrying an error.
      return { status: 200, body: { error: `Unexpected endpoint or method. (${method} ${path})` } };
    case 'ollama-v1':
      return { status: 404, text: '404 page not found' };
  }
}

/** Answer a non-chat request as `flavour` would. */
export function routeInfo(flavour: FakeFlavour, method: string, path: string, body: unknown, state: RouteState): RouteAnswer {
  const { models } = state;
  if (method === 'GET' && (path === '/v1/models' || (flavour === 'llama-server' && path === '/models'))) {
    return { status: 200, body: modelList(flavour, state) };
  }
  const route = `${method} ${path}`;
  switch (flavour) {
    case 'vllm':
      if (route === 'GET /version') return { status: 200, body: { version: '0.11.0' } };
      if (route === 'GET /health') return { status: 200, text: '' };
      break;
    case 'llama-server':
      if (route === 'GET /health') return { status: 200, body: { status: 'ok' } };
      if (route === 'GET /props') {
        return {
          status: 200,
          body: {
            default_generation_settings: { n_ctx: 8192 },
            total_slots: state.totalSlots,
            model_path: `/models/${models[0]?.id ?? 'model.gguf'}`,
            modalities: { vision: models[0]?.vision === true, audio: false },
            build_info: 'b6500-1a2b3c4d',
          },
        };
      }
      break;
    case 'lmstudio':
      if (route === 'GET /api/v0/models') {
        const data = models.map((m) => ({
          id: m.id,
          object: 'model',
          type: m.isEmbedding ? 'embeddings' : m.vision ? 'vlm' : 'llm',
          publisher: m.id.split('/')[0],
          arch: 'gemma3',
          compatibility_type: 'gguf',
          quantization: 'Q4_K_M',
          state: 'loaded',
          max_context_length: 131072,
        }));
        return { status: 200, body: { object: 'list', data } };
      }
      break;
    case 'litellm':
      if (route === 'GET /health/liveliness') return { status: 200, body: "I'm alive!" };
      if (route === 'GET /model/info' || route === 'GET /v1/model/info') {
        const data = models.map((m) => ({
          model_name: m.id,
          litellm_params: { model: `openai/${m.id}` },
          // supports_vision only when the admin set it (§1).
          model_info: { id: `id-${m.id}`, mode: 'chat', supports_vision: m.vision ?? null },
        }));
        return { status: 200, body: { data } };
      }
      break;
    case 'ollama-v1':
      if (route === 'GET /' || route === 'HEAD /') return { status: 200, text: 'Ollama is running' };
      if (route === 'GET /api/version') return { status: 200, body: { version: '0.12.6' } };
      if (route === 'POST /api/show') {
        const name = (body as { model?: unknown } | undefined)?.model;
        const model = models.find((m) => m.id === name);
        if (!model) return { status: 404, body: { error: `model '${String(name)}' not found` } };
        return { status: 200, body: { capabilities: model.vision ? ['completion', 'vision'] : ['completion'], details: { family: 'gemma3' } } };
      }
      break;
  }
  return notFound(flavour, method, path);
}
