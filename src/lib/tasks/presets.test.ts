import { describe, expect, it } from 'vitest';
import { TASKS, buildPrompt, findTask } from './presets.ts';

describe('tasks', () => {
  it('starts with the extraction prompt from the source material', () => {
    expect(TASKS[0]?.label).toBe('Extract text as Markdown');
    expect(TASKS[0]?.prompt).toBe(
      'Extract all text from the image and return it as markdown. Do not describe the image or add extra text. Only return the text found in the image.',
    );
    expect(TASKS[0]?.options.maxSide).toBe(1536);
  });
  it('fills in the language and appends context', () => {
    const prompt = buildPrompt(findTask('translate'), { language: 'German', context: 'Location: Glencoe, Scotland' });
    expect(prompt).toContain('translate it to German');
    expect(prompt).toContain('Location: Glencoe, Scotland');
  });
  it('uses the custom prompt as written', () => {
    expect(buildPrompt(findTask('custom'), { customPrompt: '  How many cats?  ' })).toBe('How many cats?');
  });
});
