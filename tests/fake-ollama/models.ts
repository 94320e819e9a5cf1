// The fake's model store and the JSON shapes Ollama gives for models (api/types.go:
// ListModelResponse, ShowResponse, ProcessModelResponse).
import { createHash } from 'node:crypto';
import { goTimeOfDate } from './go.ts';

/** A model the fake has "pulled". */
export interface FakeModel {
  name: string;
  /**
   * What /api/show reports. null = an old server (before 0.6.4) that has no capabilities field;
   * then vision is inferred from `families` containing "clip". Default: ['completion'] (+vision
   * when families has clip).
   */
  capabilities?: string[] | null;
  /** details.families; may be null as in real /api/tags output. */
  families?: string[] | null;
  family?: string;
  parameterSize?: string;
  quantization?: string;
  size?: number;
  /**
   * Qwen-VL runners crash on images with a side under ~28 px: the request fails with 500
   * "model runner has unexpectedly stopped, …". Set to emulate; undefined = no limit.
   */
  minImageSide?: number;
}

/** The models a fresh fake has, newest first (as /api/tags sorts by modified_at). */
export const DEFAULT_MODELS: readonly FakeModel[] = [
  {
    name: 'gemma3:4b',
    capabilities: ['completion', 'vision'],
    family: 'gemma3',
    families: ['gemma3'],
    parameterSize: '4.3B',
    quantization: 'Q4_K_M',
    size: 3_338_801_804,
  },
  {
    // Thinking + vision: answers land in message.thinking unless think:false is sent.
    name: 'qwen3-vl:4b',
    capabilities: ['completion', 'vision', 'tools', 'thinking'],
    family: 'qwen3vl',
    families: ['qwen3vl'],
    parameterSize: '4.4B',
    quantization: 'Q4_K_M',
    size: 3_305_121_340,
    minImageSide: 28,
  },
  {
    name: 'llama3.2:3b',
    capabilities: ['completion', 'tools'],
    family: 'llama',
    families: ['llama'],
    parameterSize: '3.2B',
    quantization: 'Q4_K_M',
    size: 2_019_393_189,
  },
  {
    // As an old server shows it: no capabilities, vision only visible through "clip".
    name: 'llava:7b',
    capabilities: null,
    family: 'llama',
    families: ['llama', 'clip'],
    parameterSize: '7B',
    quantization: 'Q4_0',
    size: 4_733_363_377,
  },
];

/** Names /api/pull knows by default; each becomes a vision model once pulled. */
export const DEFAULT_PULLABLE: readonly (string | FakeModel)[] = [
  'gemma3:4b',
  { name: 'qwen2.5vl:3b', capabilities: ['completion', 'vision'], family: 'qwen25vl', families: ['qwen25vl'], parameterSize: '3.8B', minImageSide: 28, size: 3_203_117_030 },
  { name: 'moondream', capabilities: ['completion', 'vision'], family: 'phi2', families: ['phi2', 'clip'], parameterSize: '1B', quantization: 'Q4_0', size: 1_738_451_197 },
];

export interface ModelRecord {
  /** Display name as /api/tags shows it (always with a tag: "moondream" → "moondream:latest"). */
  name: string;
  key: string;
  spec: FakeModel;
  digest: string;
  modifiedAt: Date;
  vision: boolean;
  thinking: boolean;
  /** capabilities for /api/show; null = omit the field. */
  capabilities: string[] | null;
}

/**
 * Ollama resolves names case-insensitively, fills in the default tag "latest" and the default
 * namespace "registry.ollama.ai/library/".
 */
export function displayName(name: string): string {
  let n = name.trim().replace(/^registry\.ollama\.ai\//i, '').replace(/^library\//i, '');
  const lastSegment = n.slice(n.lastIndexOf('/') + 1);
  if (!lastSegment.includes(':')) n += ':latest';
  return n;
}

export function modelKey(name: string): string {
  return displayName(name).toLowerCase();
}

/** Plausible model names only; Ollama answers an invalid one with "invalid model name". */
export function isValidModelName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/.test(name.trim()) && name.length <= 350;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export function toRecord(spec: FakeModel, modifiedAt: Date): ModelRecord {
  const families = spec.families === undefined ? [spec.family ?? 'llama'] : spec.families;
  const capabilities =
    spec.capabilities === null
      ? null
      : (spec.capabilities ?? ['completion', ...(families?.includes('clip') ? ['vision'] : [])]);
  return {
    name: displayName(spec.name),
    key: modelKey(spec.name),
    spec: { ...spec, families },
    digest: sha(`manifest:${modelKey(spec.name)}`),
    modifiedAt,
    vision: capabilities ? capabilities.includes('vision') : Boolean(families?.includes('clip')),
    thinking: capabilities?.includes('thinking') ?? false,
    capabilities,
  };
}

function details(r: ModelRecord) {
  // ModelDetails has no omitempty: every key is always present, families may be null.
  return {
    parent_model: '',
    format: 'gguf',
    family: r.spec.family ?? 'llama',
    families: r.spec.families ?? null,
    parameter_size: r.spec.parameterSize ?? '4B',
    quantization_level: r.spec.quantization ?? 'Q4_K_M',
  };
}

const sizeOf = (r: ModelRecord) => r.spec.size ?? 3_000_000_000;

/** One entry of GET /api/tags (no capabilities: that field only appears from 0.30). */
export function tagEntry(r: ModelRecord) {
  return {
    name: r.name,
    model: r.name,
    modified_at: goTimeOfDate(r.modifiedAt),
    size: sizeOf(r),
    digest: r.digest,
    details: details(r),
  };
}

/** POST /api/show. model_info is always a map; projector_info only for clip (llava-style) models. */
export function showResponse(r: ModelRecord) {
  const family = r.spec.family ?? 'llama';
  const blob = `/root/.ollama/models/blobs/sha256-${sha(`blob:${r.key}:0`)}`;
  const body: Record<string, unknown> = {
    license: 'Fake license text',
    modelfile: `# Modelfile generated by "ollama show"\n# To build a new Modelfile based on this, replace FROM with:\n# FROM ${r.name}\n\nFROM ${blob}\nTEMPLATE {{ .Prompt }}\n`,
    parameters: 'temperature                    1',
    template: '{{ .Prompt }}',
    details: details(r),
    model_info: {
      'general.architecture': family,
      'general.parameter_count': Math.round(sizeOf(r) * 1.3),
      [`${family}.context_length`]: 131072,
    },
  };
  if (r.spec.families?.includes('clip')) {
    body.projector_info = { 'clip.has_vision_encoder': true, 'general.architecture': 'clip' };
  }
  if (r.capabilities) body.capabilities = r.capabilities;
  body.modified_at = goTimeOfDate(r.modifiedAt);
  return body;
}

/** One entry of GET /api/ps. */
export function psEntry(r: ModelRecord, expiresAt: number) {
  const forever = !Number.isFinite(expiresAt);
  return {
    name: r.name,
    model: r.name,
    size: sizeOf(r),
    digest: r.digest,
    details: details(r),
    // A "forever" keep_alive is time.Now() + MaxInt64 ns in Go, i.e. year 2318.
    expires_at: goTimeOfDate(new Date(forever ? Date.now() + 9_223_372_036_854 : expiresAt)),
    size_vram: sizeOf(r),
    context_length: 4096,
  };
}

/** Layer digests for the fake pull of a model. */
export function layerDigests(name: string): [string, string] {
  return [`sha256:${sha(`blob:${modelKey(name)}:0`)}`, `sha256:${sha(`blob:${modelKey(name)}:1`)}`];
}
