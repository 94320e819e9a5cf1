// The models an OpenAI-compatible server offers, with which of them see images where the server
// says so (docs/openai-compatible.md §1, table "vision flag") and the user's own marks elsewhere.
import type { EngineModel } from '../types.ts';
import { isAbortError } from './errors.ts';
import { FLAVOURS } from './flavours.ts';
import type { OpenAiFlavour } from './flavours.ts';
import { type OpenAiHttp, asRecord } from './http.ts';
import type { WireModelList } from './wire.ts';

/** Per model id: true/false when the server said, absent when it did not. */
type VisionHints = Map<string, boolean>;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Hints inside /v1/models itself: newest llama-server's `architecture.input_modalities` and `models[].capabilities`. */
function hintsFromList(list: WireModelList, hints: VisionHints): void {
  for (const entry of asArray(list.data)) {
    const { id, architecture } = asRecord(entry);
    const modalities = asRecord(architecture).input_modalities;
    if (typeof id === 'string' && Array.isArray(modalities)) hints.set(id, modalities.includes('image'));
  }
  for (const entry of asArray(list.models)) {
    const { name, model, capabilities } = asRecord(entry);
    if (!Array.isArray(capabilities)) continue;
    for (const id of [name, model]) if (typeof id === 'string') hints.set(id, capabilities.includes('multimodal'));
  }
}

/** Ask the flavour's own endpoint which models see images. */
async function hintsFromServer(
  http: OpenAiHttp,
  flavour: OpenAiFlavour,
  ids: string[],
  hints: VisionHints,
  embeddings: Set<string>,
  signal?: AbortSignal,
): Promise<void> {
  if (flavour === 'llama-server') {
    // One model per server: /props `modalities.vision` speaks for it.
    const vision = asRecord(asRecord(await http.getJsonIfAny('/props', signal)).modalities).vision;
    if (typeof vision === 'boolean') for (const id of ids) if (!hints.has(id)) hints.set(id, vision);
  } else if (flavour === 'lmstudio') {
    for (const entry of asArray(asRecord(await http.getJsonIfAny('/api/v0/models', signal)).data)) {
      const { id, type } = asRecord(entry);
      if (typeof id === 'string' && typeof type === 'string') hints.set(id, type === 'vlm');
      // An embedding model cannot read anything: leave it out of the list.
      if (typeof id === 'string' && type === 'embeddings') embeddings.add(id);
    }
  } else if (flavour === 'litellm') {
    // supports_vision is there only when the admin (or LiteLLM's model map) set it.
    for (const entry of asArray(asRecord(await http.getJsonIfAny('/model/info', signal)).data)) {
      const { model_name, model_info } = asRecord(entry);
      const vision = asRecord(model_info).supports_vision;
      if (typeof model_name === 'string' && typeof vision === 'boolean') hints.set(model_name, vision);
    }
  } else if (flavour === 'ollama-v1') {
    // Ollama's native /api/show lists `vision` among a model's capabilities (docs/ollama-api.md).
    await Promise.all(
      ids.map(async (id) => {
        try {
          const body = new Blob([JSON.stringify({ model: id })], { type: 'application/json' });
          const show = asRecord(await (await http.postJson('/api/show', body, signal)).json());
          if (Array.isArray(show.capabilities)) hints.set(id, show.capabilities.includes('vision'));
        } catch (error) {
          if (isAbortError(error)) throw error;
        }
      }),
    );
  }
}

/** GET /v1/models, then the flavour's vision hints; `markedVision` names the user marked as seeing images. */
export async function listOpenAiModels(
  http: OpenAiHttp,
  flavour: OpenAiFlavour,
  markedVision: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<EngineModel[]> {
  const list = asRecord(await http.getJson('/v1/models', signal)) as WireModelList;
  const ids = [...new Set(asArray(list.data).map((m) => asRecord(m).id).filter((id): id is string => typeof id === 'string'))];
  const hints: VisionHints = new Map();
  const embeddings = new Set<string>();
  hintsFromList(list, hints);
  await hintsFromServer(http, flavour, ids, hints, embeddings, signal);
  return ids.filter((name) => !embeddings.has(name)).map((name) => {
    const said = hints.get(name);
    const isMarked = markedVision.has(name);
    const vision = said === true || isMarked;
    const visionSource = said === true ? 'server' : isMarked ? 'user' : said === false ? 'server' : 'unknown';
    return {
      name,
      capabilities: { vision, thinking: false, structuredOutput: FLAVOURS[flavour].hasStructuredOutput, logprobs: FLAVOURS[flavour].hasLogprobs },
      visionSource,
    } satisfies EngineModel;
  });
}
