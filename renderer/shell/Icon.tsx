/** Small line icons (24×24 strokes) for the toolbar. */
const PATHS: Record<string, string> = {
  new: 'M6 3h8l4 4v14H6z M14 3v4h4 M12 10v7 M8.5 13.5h7',
  open: 'M3 7h6l2 2h10v10H3z',
  save: 'M5 3h11l3 3v15H5z M8 3v5h7V3 M8 21v-7h8v7',
  undo: 'M9 14L4 9l5-5 M4 9h10a6 6 0 0 1 0 12h-3',
  redo: 'M15 14l5-5-5-5 M20 9H10a6 6 0 0 0 0 12h3',
  layout: 'M3 4h6v5H3z M15 4h6v5h-6z M9 15h6v5H9z M6 9v3h12V9 M12 12v3',
  fit: 'M4 9V4h5 M20 9V4h-5 M4 15v5h5 M20 15v5h-5',
  run: 'M7 4l13 8-13 8z',
  export: 'M12 3v12 M7 10l5 5 5-5 M4 17v4h16v-4',
  settings: 'M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8 M12 2v3 M12 19v3 M2 12h3 M19 12h3 M4.9 4.9l2.1 2.1 M17 17l2.1 2.1 M4.9 19.1L7 17 M17 7l2.1-2.1',
  help: 'M12 22a10 10 0 1 0 0-20a10 10 0 1 0 0 20 M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14 M12 17.5v.5',
  recent: 'M12 22a10 10 0 1 0 0-20a10 10 0 1 0 0 20 M12 7v5l3 3',
  chevron: 'M6 9l6 6 6-6',
  monitoring: 'M3 20h18 M5 16l4-5 4 3 6-8 M17 6h2v2',
  schedule: 'M21 12a9 9 0 1 1-18 0a9 9 0 1 1 18 0 M12 7v5l3 2',
};

export function Icon({ name, size = 16 }: { name: keyof typeof PATHS | string; size?: number }) {
  return (
    <svg className="icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d={PATHS[name] ?? ''} />
    </svg>
  );
}
