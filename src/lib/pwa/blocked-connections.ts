// Tells when the Content-Security-Policy stopped a fetch, so a blocked Ollama address is explained
// instead of looking like "Ollama is not running" (the fetch fails the same way).

/** Call `onBlocked` with each address connect-src refused; returns the unsubscribe function. */
export function watchBlockedConnections(onBlocked: (url: string) => void, target: EventTarget = document): () => void {
  const listener = (event: Event) => {
    const violation = event as SecurityPolicyViolationEvent;
    if (violation.effectiveDirective === 'connect-src') onBlocked(violation.blockedURI);
  };
  target.addEventListener('securitypolicyviolation', listener);
  return () => target.removeEventListener('securitypolicyviolation', listener);
}
