import { describe, expect, it } from 'vitest';
import { corsFixSteps, needsLocalNetworkPermission, originsValueFor } from './doctor.ts';

describe('connection doctor', () => {
  it("gives this page's exact origin in every system's steps", () => {
    const steps = corsFixSteps('http://192.168.1.5:4173');
    expect(steps.map((s) => s.system)).toEqual(expect.arrayContaining(['macOS (Ollama app)', 'Linux (systemd service)', 'Windows']));
    expect(steps[0]?.steps[0]).toBe('launchctl setenv OLLAMA_ORIGINS "http://192.168.1.5:4173"');
    expect(steps[1]?.steps.join('\n')).toContain('Environment="OLLAMA_ORIGINS=http://192.168.1.5:4173"');
  });
  it('needs * for a file:// page', () => {
    expect(originsValueFor('null')).toBe('*');
  });
  it('flags public https pages for the local network prompt', () => {
    expect(needsLocalNetworkPermission('https://someone.github.io')).toBe(true);
    expect(needsLocalNetworkPermission('http://localhost:4173')).toBe(false);
  });
});
