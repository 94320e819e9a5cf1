// What to tell someone whose page cannot use an OpenAI-compatible server, worked out from this
// page's own origin and the server's kind (docs/openai-compatible.md §5, §6, §7).
import { originsValueFor } from '../../ollama/doctor.ts';
import { SERVER_PORTS } from '../../pwa/csp.ts';
import type { Detection, ServerFlavour } from './detect.ts';
import { OpenAiHttpError, OpenAiStreamError, OpenAiTruncatedError, OpenAiUnreachableError } from './errors.ts';
import { FLAVOURS } from './flavours.ts';

/** A diagnosis: one sentence, and the exact steps or commands that fix it (possibly none). */
export interface Advice {
  headline: string;
  steps: string[];
}

/** A server's name for sentences: "vLLM", "Ollama", or "The server" when unknown. */
export function flavourLabel(flavour: ServerFlavour | undefined): string {
  if (flavour === 'ollama') return 'Ollama';
  return flavour && flavour !== 'generic' ? FLAVOURS[flavour].label : 'the server';
}

/** The exact setting that lets `origin` in, for this kind of server. */
export function corsSteps(flavour: ServerFlavour | undefined, origin: string): string[] {
  const value = originsValueFor(origin);
  switch (flavour) {
    case 'vllm':
      // vLLM reads its CORS lists as JSON (cli_args.py).
      return [`Start vLLM with this page allowed: vllm serve <model> --allowed-origins '["${value}"]'`];
    case 'llama-server':
      return [
        'llama-server allows every origin unless started with --cors-origins (or --tools/--agent, which allow only localhost).',
        `Start it with this page allowed: llama-server -m <model.gguf> --cors-origins ${value}`,
      ];
    case 'lmstudio':
      return ['In LM Studio: Developer → Server Settings → turn on “Enable CORS”, then restart the server.', 'Or from a terminal: lms server start --cors'];
    case 'litellm':
      return [`LiteLLM allows every origin unless LITELLM_CORS_ALLOW_ORIGINS is set; add this page: LITELLM_CORS_ALLOW_ORIGINS="${value}" litellm --config config.yaml`];
    case 'ollama':
    case 'ollama-v1':
      return [`Allow this page in Ollama, then restart it: OLLAMA_ORIGINS="${value}" ollama serve`];
    default:
      return [`Allow the origin ${value} in the server's CORS settings (it must answer with Access-Control-Allow-Origin).`];
  }
}

const KEY_NOTE = 'The key stays in this browser and is sent only to this server.';

/** True when the page's default Content-Security-Policy lets it fetch this address (else rebuild). */
export function isAllowedByDefaultPolicy(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    if ((url.hostname === 'localhost' || url.hostname === '127.0.0.1') && url.protocol === 'http:') return true;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return (SERVER_PORTS as readonly number[]).includes(port);
  } catch {
    return false;
  }
}

/** What the Content-Security-Policy blocking `url` means and how to allow it. */
export function explainBlocked(url: string): Advice {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // Keep what the browser reported.
  }
  return {
    headline: `Lenscribe's security policy blocks ${origin}: it connects only to this computer, or to ports ${SERVER_PORTS.join(', ')} of another machine.`,
    steps: [`Build Lenscribe with the address allowed: LENSCRIBE_CONNECT_SRC="${origin}" npm start`],
  };
}

/** Explain what detectServer found, for the connection doctor. */
export function explainDetection(detection: Detection, origin: string): Advice {
  if (detection.status === 'found') {
    const { label, version, baseUrl } = detection.server;
    return { headline: `Connected to ${label}${version ? ` ${version}` : ''} at ${baseUrl}.`, steps: [] };
  }
  const { baseUrl } = detection;
  const guess = 'flavourGuess' in detection ? detection.flavourGuess : undefined;
  const label = flavourLabel(guess);
  switch (detection.status) {
    case 'unreachable': {
      const ports = guess && guess !== 'ollama' && guess !== 'generic' ? ` (${label} listens on port ${FLAVOURS[guess].ports.join(' or ')} by default)` : '';
      const steps = [`Check that ${label} is running and that the address and port are right${ports}.`];
      if (!/^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(baseUrl)) {
        steps.push('On another machine the server must listen on the network (for example --host 0.0.0.0), and no firewall may block the port.');
      }
      if (!isAllowedByDefaultPolicy(baseUrl)) steps.push(...explainBlocked(baseUrl).steps);
      return { headline: `Nothing answers at ${baseUrl}.`, steps };
    }
    case 'cors-refused':
      return { headline: `${capitalise(label)} at ${baseUrl} answers, but does not allow this page (${origin}).`, steps: corsSteps(guess, origin) };
    case 'models-hidden':
      return {
        headline: detection.hasKey
          ? `${capitalise(label)} at ${baseUrl} answers, but hides its model list: the API key was probably refused.`
          : `${capitalise(label)} at ${baseUrl} answers, but hides its model list: it probably needs an API key.`,
        steps: [
          'vLLM started with --api-key answers a missing or wrong key without CORS headers, so the browser sees no answer at all.',
          detection.hasKey ? `Check the API key for this server. ${KEY_NOTE}` : `Enter the server's API key. ${KEY_NOTE}`,
        ],
      };
    case 'key-missing':
      return { headline: `This server needs an API key (it said: ${detection.message}).`, steps: [`Enter the key for ${baseUrl}. ${KEY_NOTE}`] };
    case 'key-refused':
      return { headline: `The API key was refused (the server said: ${detection.message}).`, steps: [`Check the key for ${baseUrl}. ${KEY_NOTE}`] };
    case 'not-openai':
      return {
        headline: `Something answers at ${baseUrl}, but not as an OpenAI-compatible server (GET /v1/models: ${detection.message}).`,
        steps: ["Enter the server's base address, such as http://192.168.1.20:8000 (with or without /v1)."],
      };
  }
}

/** Start a sentence with a label: proper names (vLLM, llama-server) keep their case. */
function capitalise(label: string): string {
  return label === 'the server' ? 'The server' : label;
}

/** True when the server vanished or cut the reply: worth waiting and retrying. */
export function isConnectionLost(error: unknown): boolean {
  return error instanceof OpenAiUnreachableError || error instanceof OpenAiTruncatedError;
}

/** A user-facing explanation of why a read failed, with the server's own words. */
export function describeOpenAiFailure(error: unknown, context: { model: string; flavour?: ServerFlavour }): string {
  const { model, flavour } = context;
  const name = capitalise(flavourLabel(flavour));
  if (error instanceof OpenAiHttpError) {
    const said = `(it said: ${error.message})`;
    switch (error.problem) {
      case 'key-missing':
        return `This server needs an API key ${said}. ${KEY_NOTE}`;
      case 'key-refused':
        return `The API key was refused ${said}. Check the key for this server. ${KEY_NOTE}`;
      case 'model-not-found':
        return `${name} does not have the model "${model}" ${said}.`;
      case 'no-vision':
        return flavour === 'llama-server'
          ? `The model "${model}" cannot read images on llama-server ${said}: start it with --mmproj <projector.gguf>.`
          : `The model "${model}" cannot read images on ${flavourLabel(flavour)} ${said}. Choose a vision model, or unmark it as vision-capable.`;
      case 'context-overflow':
        return `The image and prompt do not fit the model's context ${said}. Use a smaller image size, or give the model a longer context on the server.`;
      case 'not-found':
        return `${name} has no chat endpoint at this address ${said}. Check the address: it is the server's base address, with or without /v1.`;
      case 'busy':
        return `${name} is busy or still loading ${said}. Try again in a moment.`;
      case 'redirected':
        return error.message;
      default:
        return `${name} answered with an error (${error.status}): ${error.message}`;
    }
  }
  if (error instanceof OpenAiStreamError) return `The model stopped with an error: ${error.message}`;
  if (error instanceof OpenAiTruncatedError) {
    return `${name} closed the reply before it finished. If it happens again, the server's log says why (Ollama's /v1 drops its errors this way).`;
  }
  if (error instanceof OpenAiUnreachableError) return `Lost the connection to ${flavourLabel(flavour)}. Check that it is running, then retry.`;
  return error instanceof Error ? error.message : String(error);
}
