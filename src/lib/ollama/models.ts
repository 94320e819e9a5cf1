// Model names as Ollama resolves them, which vision model to use by default, and sizes in words.

/** Vision models known to read text well, best first (docs/ollama-api.md, "Images"). */
export const SUGGESTED_VISION_MODELS = ['gemma3:4b', 'qwen2.5vl:3b', 'llama3.2-vision', 'granite3.2-vision', 'moondream'] as const;

/** Ollama's full form of a name: case does not matter and a bare name means its "latest" tag. */
export function canonicalModelName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.slice(lower.lastIndexOf('/') + 1).includes(':') ? lower : `${lower}:latest`;
}

/** The installed name that `wanted` refers to ("moondream" is listed as "moondream:latest"). */
export function findModelName(names: readonly string[], wanted: string): string | undefined {
  const key = canonicalModelName(wanted);
  return names.find((n) => canonicalModelName(n) === key);
}

/** A suggested model if one is installed, else the first vision model. */
export function pickDefaultModel(visionModelNames: string[]): string | undefined {
  for (const suggested of SUGGESTED_VISION_MODELS) {
    const found = findModelName(visionModelNames, suggested) ?? visionModelNames.find((n) => n.startsWith(`${suggested}:`));
    if (found) return found;
  }
  return visionModelNames[0];
}

/** A size as `ollama list` prints it: decimal units, "3.3 GB", "830 MB". */
export function formatModelSize(bytes: number | undefined): string {
  if (!bytes) return '';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.round(bytes / 1e6)} MB`;
}
