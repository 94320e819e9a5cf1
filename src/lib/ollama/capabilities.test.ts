import { describe, expect, it } from 'vitest';
import { describeModel } from './capabilities.ts';
import type { TagModel } from './wire.ts';

const tag = (name: string, families: string[] | null, extra: Partial<TagModel> = {}): TagModel => ({
  name,
  size: 4_733_363_377,
  details: { family: 'llama', families, parameter_size: '7B', quantization_level: 'Q4_0' },
  ...extra,
});

describe('describeModel', () => {
  it('reads vision and thinking from /api/show capabilities', () => {
    const info = describeModel(tag('qwen3-vl:4b', ['qwen3vl']), { capabilities: ['completion', 'vision', 'thinking'] });
    expect(info).toMatchObject({ name: 'qwen3-vl:4b', isVision: true, isThinking: true, size: 4_733_363_377, parameterSize: '7B', quantization: 'Q4_0' });
  });

  it('treats a model with capabilities but no vision as text only, whatever its name', () => {
    expect(describeModel(tag('llama3.2-vision-ish:3b', ['llama']), { capabilities: ['completion', 'tools'] }).isVision).toBe(false);
  });

  it('falls back to a clip family or a projector on servers without capabilities', () => {
    expect(describeModel(tag('llava:7b', ['llama', 'clip']), { details: { families: ['llama', 'clip'] } }).isVision).toBe(true);
    expect(describeModel(tag('llava:7b', ['llama', 'clip']), undefined).isVision).toBe(true);
    expect(describeModel(tag('bakllava', null), { projector_info: { 'clip.has_vision_encoder': true } }).isVision).toBe(true);
    expect(describeModel(tag('llama2', null), { projector_info: {} }).isVision).toBe(false);
    expect(describeModel(tag('llama2', null), undefined)).toMatchObject({ isVision: false, isThinking: false, capabilities: [] });
  });
});
