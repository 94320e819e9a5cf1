// A server the user added beside the main Ollama: how it is stored, the engine that speaks to it,
// and what to say when it does not answer.
import { OllamaClient } from '../ollama/client.ts';
import { corsFixSteps, originsValueFor } from '../ollama/doctor.ts';
import { OllamaHttpError, OllamaUnreachableError } from '../ollama/errors.ts';
import { findModelName } from '../ollama/models.ts';
import { OllamaEngine } from './ollama.ts';
import { OpenAiEngine } from './openai/engine.ts';
import { corsSteps, describeOpenAiFailure, flavourLabel } from './openai/doctor.ts';
import { OpenAiHttpError, OpenAiUnreachableError } from './openai/errors.ts';
import type { OpenAiFlavour } from './openai/flavours.ts';
import type { Engine, EngineModel } from './types.ts';

/** A server as kept in settings. */
export interface EndpointConfig {
  /** kind + address: "openai http://gpu.lan:8000". */
  id: string;
  kind: 'ollama' | 'openai';
  url: string;
  flavour?: OpenAiFlavour;
  /** Sent to this server only; stays in this browser. */
  apiKey?: string;
  /** How many images it reads at once. */
  concurrency: number;
  /** Models the user marked as seeing images where the server does not say. */
  visionModels: string[];
}

/** An engine that can also tell a stopped server from one that refuses this page (CORS). */
export type EndpointEngine = Engine & { isServerAnswering(signal?: AbortSignal): Promise<boolean> };

/** The engine for a stored server. */
export function createEndpointEngine(config: EndpointConfig): EndpointEngine {
  if (config.kind === 'openai') {
    return new OpenAiEngine(config.url, { flavour: config.flavour, apiKey: config.apiKey, visionModels: config.visionModels });
  }
  const client = new OllamaClient(config.url);
  const engine = new OllamaEngine(client);
  return Object.assign(engine, { isServerAnswering: (signal?: AbortSignal) => client.isServerAnswering(signal) });
}

/** What is wrong with a server that did not list its models, in words with the fix. */
export interface EndpointTrouble {
  /** True when nothing answers (as opposed to a refusal or an error): worth polling. */
  isAway: boolean;
  message: string;
  steps: string[];
}

/** Explain a failed listModels, probing with no-cors whether CORS hid an answer. */
export async function explainEndpointTrouble(config: EndpointConfig, engine: EndpointEngine, error: unknown, origin: string): Promise<EndpointTrouble> {
  const name = config.kind === 'ollama' ? 'Ollama' : flavourLabel(config.flavour);
  if (error instanceof OllamaUnreachableError || error instanceof OpenAiUnreachableError) {
    const isAnswering = await engine.isServerAnswering().catch(() => false);
    if (!isAnswering) return { isAway: true, message: `${name} at ${config.url} does not answer. Start it; Lenscribe keeps trying.`, steps: [] };
    const steps =
      config.kind === 'ollama'
        ? [`Set OLLAMA_ORIGINS=${originsValueFor(origin)} and restart Ollama.`, ...corsFixSteps(origin).flatMap((s) => s.steps.slice(0, 1))]
        : corsSteps(config.flavour, origin);
    // vLLM answers a missing key without CORS headers, so a key problem can look like this too.
    const keyNote = config.kind === 'openai' ? ' (or it needs an API key and refused without saying so to this page)' : '';
    return { isAway: true, message: `${name} at ${config.url} answers, but refuses this page${keyNote}.`, steps };
  }
  if (error instanceof OpenAiHttpError) return { isAway: false, message: describeOpenAiFailure(error, { model: '', flavour: config.flavour }), steps: [] };
  if (error instanceof OllamaHttpError) return { isAway: false, message: `Ollama at ${config.url} answered with an error: ${error.message}`, steps: [] };
  return { isAway: false, message: error instanceof Error ? error.message : String(error), steps: [] };
}

/** True when a server's model list offers this model (Ollama spells "moondream" as "moondream:latest"). */
export function offersModel(models: readonly EngineModel[], name: string): boolean {
  return findModelName(models.map((m) => m.name), name) !== undefined || models.some((m) => m.name === name);
}
