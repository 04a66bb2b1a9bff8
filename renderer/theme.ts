/** Light and dark themes: the OS preference unless the user picks one. */
import { useEffect, useState } from 'react';
import { useAppStore } from './store/index.ts';

export type ResolvedTheme = 'light' | 'dark';

function systemTheme(): ResolvedTheme {
  return typeof window !== 'undefined' && window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme in effect, following OS changes while the choice is "system". */
export function useResolvedTheme(): ResolvedTheme {
  const choice = useAppStore((s) => s.theme);
  const [system, setSystem] = useState<ResolvedTheme>(systemTheme);
  useEffect(() => {
    const query = window.matchMedia?.('(prefers-color-scheme: dark)');
    if (!query) return;
    const update = () => setSystem(query.matches ? 'dark' : 'light');
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);
  return choice === 'system' ? system : choice;
}

/** Puts the theme on <html> so CSS variables switch. */
export function useThemeOnDocument(): ResolvedTheme {
  const theme = useResolvedTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
  return theme;
}
