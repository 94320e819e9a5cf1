// What to tell someone whose page cannot reach Ollama, worked out from this page's own origin.

/** Hosts Ollama allows with no setup (envconfig.AllowedOrigins). */
const DEFAULT_HOSTS = ['localhost', '127.0.0.1', '0.0.0.0'];

/** The OLLAMA_ORIGINS value that lets this page in (`*` for a file:// page, which sends Origin: null). */
export function originsValueFor(origin: string): string {
  return origin === 'null' || origin.startsWith('file:') ? '*' : origin;
}

/** The exact commands per system to allow this origin, then restart Ollama. */
export function corsFixSteps(origin: string): { system: string; steps: string[] }[] {
  const value = originsValueFor(origin);
  return [
    {
      system: 'macOS (Ollama app)',
      steps: [`launchctl setenv OLLAMA_ORIGINS "${value}"`, 'Quit Ollama from the menu bar and open it again.'],
    },
    {
      system: 'Linux (systemd service)',
      steps: [
        'sudo systemctl edit ollama.service',
        `Add these lines, then save:\n[Service]\nEnvironment="OLLAMA_ORIGINS=${value}"`,
        'sudo systemctl daemon-reload && sudo systemctl restart ollama',
      ],
    },
    {
      system: 'Windows',
      steps: [
        `Settings → System → About → Advanced system settings → Environment Variables → New user variable: name OLLAMA_ORIGINS, value ${value}`,
        'Quit Ollama from the taskbar tray and start it again.',
      ],
    },
    {
      system: 'Running ollama serve by hand',
      steps: [`OLLAMA_ORIGINS="${value}" ollama serve`],
    },
  ];
}

/** True for an https page on a public host, where Chrome asks for local network access. */
export function needsLocalNetworkPermission(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && !DEFAULT_HOSTS.includes(url.hostname) && !/^(10|127|192\.168|172\.(1[6-9]|2\d|3[01]))\./.test(url.hostname);
  } catch {
    return false;
  }
}
