/** Starts following runs (history and live events) for as long as the window lives. */
import { useEffect } from 'react';
import { startRunSync } from './runSync.ts';

export function useRunSync(): void {
  useEffect(() => startRunSync(), []);
}
