// Which vision model to use when the user has not chosen one.

/** Vision models known to read text well, best first (ollama-api-notes.md, "Images"). */
export const SUGGESTED_VISION_MODELS = ['gemma3:4b', 'qwen2.5vl:3b', 'llama3.2-vision', 'granite3.2-vision', 'moondream'] as const;

/** A suggested model if one is installed, else the first vision model. */
export function pickDefaultModel(visionModelNames: string[]): string | undefined {
  for (const suggested of SUGGESTED_VISION_MODELS) {
    const found = visionModelNames.find((n) => n === suggested || n.startsWith(`${suggested}:`) || n.startsWith(suggested));
    if (found) return found;
  }
  return visionModelNames[0];
}
