// What a model can do, read from /api/show with fallbacks for servers too old to say.
import type { ShowResponse, TagModel } from './wire.ts';

/** Everything the UI shows about one installed model. */
export interface ModelInfo {
  name: string;
  size?: number;
  parameterSize?: string;
  quantization?: string;
  family?: string;
  /** The digest /api/tags gives: which exact weights a name meant when a text was written. */
  digest?: string;
  isVision: boolean;
  isThinking: boolean;
  capabilities: string[];
}

/** Combine a /api/tags entry with its /api/show answer. */
export function describeModel(tag: TagModel, show: ShowResponse | undefined): ModelInfo {
  const details = show?.details ?? tag.details ?? {};
  const capabilities = show?.capabilities ?? tag.capabilities ?? [];
  const families = [...(details.families ?? []), ...(tag.details?.families ?? [])];
  // Servers before 0.6.4 report no capabilities: a CLIP projector means the model can see.
  const isVision =
    capabilities.includes('vision') || families.includes('clip') || (show?.projector_info !== undefined && Object.keys(show.projector_info).length > 0);
  return {
    name: tag.name,
    size: tag.size,
    parameterSize: details.parameter_size,
    quantization: details.quantization_level,
    family: details.family,
    ...(tag.digest !== undefined && { digest: tag.digest }),
    isVision,
    isThinking: capabilities.includes('thinking'),
    capabilities,
  };
}
