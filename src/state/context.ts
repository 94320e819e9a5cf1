// Hands the one AppState to every component without prop drilling.
import { getContext } from 'svelte';
import type { AppState } from './app.ts';

const KEY = Symbol('lenscribe-app');

/** The context map to mount the root component with. */
export function appContext(app: AppState): Map<symbol, AppState> {
  return new Map([[KEY, app]]);
}

/** The app state provided by App.svelte. */
export function useApp(): AppState {
  return getContext<AppState>(KEY);
}
