/** The app's settings, read once when a settings section mounts. */
import { useEffect } from 'react';
import type { Settings } from '../../shared/api/settings.ts';
import { api } from './client.ts';

/**
 * Reads the settings when the component mounts and hands them to `apply`, or why they could not be read to
 * `fail`; neither is called once the component has gone. Read once: later calls' handlers are not used, so
 * they should only set state.
 */
export function useSettingsOnce(apply: (settings: Settings) => void, fail: (message: string) => void): void {
  useEffect(() => {
    let live = true;
    api.getSettings().then(
      (s) => live && apply(s),
      (err: unknown) => live && fail(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
    };
    // Read once, on mount (see above).
  }, []);
}
