// A typed BroadcastChannel between this app's tabs (same origin only, by the browser's rules).
import { isTabMessage, type TabMessage } from './messages.ts';

/** The channel's name. */
export const SYNC_CHANNEL = 'lenscribe-sync';

/** The part of BroadcastChannel the wrapper uses; tests pass a fake. */
export interface ChannelPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** Posts and receives TabMessages; anything else on the channel is ignored. */
export class TabChannel {
  readonly #port: ChannelPort;
  readonly #listeners = new Set<(message: TabMessage) => void>();

  constructor(port: ChannelPort) {
    this.#port = port;
    port.addEventListener('message', (event) => {
      if (!isTabMessage(event.data)) return;
      for (const listener of this.#listeners) listener(event.data);
    });
  }

  /** Tell every other tab (never this one: BroadcastChannel does not echo). */
  post(message: TabMessage): void {
    this.#port.postMessage(message);
  }

  /** Call `listener` with each message from another tab; returns a function that stops it. */
  onMessage(listener: (message: TabMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#port.close();
  }
}
