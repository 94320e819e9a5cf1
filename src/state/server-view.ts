// What the Servers list shows of each server: plain values read from the live state, no engine.
import type { ConnectionState } from './connection.svelte.ts';
import type { EndpointState, EndpointStatus } from './endpoint.svelte.ts';
import type { SettingsState } from './settings.svelte.ts';

/** A model in a server's list, and whether the user may say it sees images. */
export interface ServerModelView {
  name: string;
  isVision: boolean;
  /** The server does not say whether it sees images, so the user's mark decides. */
  canMarkVision: boolean;
}

/** One server as the Servers list shows it: plain values, no engine. */
export interface ServerView {
  /** Its slot id: what setConcurrency, removeServer and queue.statsFor take. */
  id: string;
  label: string;
  url: string;
  /** The main Ollama (its address and help are in the panel above; it cannot be removed). */
  isPrimary: boolean;
  status: EndpointStatus;
  message: string;
  /** How to fix it, for this server and this page's origin. */
  steps: readonly string[];
  models: readonly ServerModelView[];
  concurrency: number;
  /** True for OpenAI-compatible servers, which may need a key. */
  takesApiKey: boolean;
  apiKey: string;
}

/** The main Ollama as the Servers list shows it; the panel above holds its address and full help. */
export function primaryServerView(connection: ConnectionState, settings: SettingsState, id: string): ServerView {
  const status: EndpointStatus =
    connection.status === 'connected' ? 'connected' : connection.status === 'checking' ? 'checking' : connection.status === 'not-running' ? 'away' : 'error';
  const messages: Record<string, string> = {
    'not-running': 'Nothing answers at this address; the help above says how to start Ollama.',
    'cors-blocked': 'Ollama answers but refuses this page; the help above has the OLLAMA_ORIGINS line for it.',
    error: `Ollama answered with an error: ${connection.error}`,
  };
  return {
    id,
    label: connection.engine.label,
    url: settings.ollamaUrl,
    isPrimary: true,
    status,
    message: messages[connection.status] ?? '',
    steps: [],
    models: connection.models.map((m) => ({ name: m.name, isVision: m.isVision, canMarkVision: false })),
    concurrency: settings.ollamaConcurrency,
    takesApiKey: false,
    apiKey: '',
  };
}

/** An added server as the Servers list shows it. */
export function endpointServerView(endpoint: EndpointState): ServerView {
  const { config } = endpoint;
  return {
    id: endpoint.id,
    label: endpoint.label,
    url: config.url,
    isPrimary: false,
    status: endpoint.status,
    message: endpoint.message,
    steps: endpoint.steps,
    models: endpoint.models.map((m) => ({
      name: m.name,
      isVision: m.capabilities.vision,
      canMarkVision: m.visionSource === 'unknown' || m.visionSource === 'user',
    })),
    concurrency: config.concurrency,
    takesApiKey: config.kind === 'openai',
    apiKey: config.apiKey ?? '',
  };
}
