/**
 * One node's log: virtualized fixed-height rows over a bounded page window (renderer/runs/logWindow.ts),
 * live lines appended as they arrive, follow, whole-log search, download.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { appStore } from '../store/index.ts';
import { followAfterJump, followAfterScroll, initialFollow } from './follow.ts';
import type { FollowState } from './follow.ts';
import { subscribeLog } from './logBus.ts';
import { findInLog, matchRanges } from './logSearch.ts';
import type { SearchDirection } from './logSearch.ts';
import { LogWindow } from './logWindow.ts';
import { downloadLog } from './runActions.ts';
import { scrollTopFor, visibleRows } from './virtualRows.ts';

const ROW_PX = 18;

function highlight(text: string, query: string): ReactNode {
  const ranges = matchRanges(text, query);
  if (ranges.length === 0) return text;
  const out: ReactNode[] = [];
  let at = 0;
  ranges.forEach(([s, e], i) => {
    if (s > at) out.push(text.slice(at, s));
    out.push(<mark key={i}>{text.slice(s, e)}</mark>);
    at = e;
  });
  if (at < text.length) out.push(text.slice(at));
  return out;
}

interface Props {
  runId: string;
  nodeId: string;
  nodeLabel: string;
}

export function LogView({ runId, nodeId, nodeLabel }: Props) {
  const { t } = useTranslation();
  const fetchPage = useCallback((after: number, limit: number) => api.readLog(runId, nodeId, after, limit), [runId, nodeId]);
  const win = useMemo(() => new LogWindow(fetchPage), [fetchPage]);
  // Redraw at most once per frame however fast lines arrive.
  const subscribe = useCallback(
    (notify: () => void) => {
      let frame = 0;
      const stop = win.subscribe(() => {
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          notify();
        });
      });
      return () => {
        stop();
        cancelAnimationFrame(frame);
      };
    },
    [win],
  );
  const version = useSyncExternalStore(subscribe, () => win.version);
  const scroller = useRef<HTMLDivElement>(null);
  const follow = useRef<FollowState>(initialFollow(true));
  const [following, setFollowing] = useState(true);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportPx, setViewportPx] = useState(240);
  const [query, setQuery] = useState('');
  const [match, setMatch] = useState<number | null>(null);
  const [searchState, setSearchState] = useState<'idle' | 'searching' | 'none'>('idle');
  const [downloading, setDownloading] = useState<number | null>(null);
  const searchId = useRef(0);

  useEffect(() => {
    const stop = subscribeLog(runId, nodeId, (lines) => win.appendLive(lines));
    void win.probe();
    return stop;
  }, [win, runId, nodeId]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportPx(el.clientHeight));
    observer.observe(el);
    setViewportPx(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const geometry = { total: win.total, rowPx: ROW_PX, viewportPx };
  const range = visibleRows(geometry, scrollTop, 20);

  useEffect(() => {
    if (range.last >= range.first) void win.ensure(range.first + 1, range.last + 1);
  }, [win, range.first, range.last, version]);

  const jumpTo = (top: number) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = top;
    follow.current = followAfterJump(follow.current, el.scrollTop);
    setScrollTop(el.scrollTop);
  };

  useLayoutEffect(() => {
    if (following && win.total > 0) jumpTo(scrollTopFor({ total: win.total, rowPx: ROW_PX, viewportPx }, win.total - 1, 'end'));
  }, [version, following, viewportPx, win]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const next = followAfterScroll(follow.current, { scrollTop: el.scrollTop, scrollHeight: el.scrollHeight, clientHeight: el.clientHeight });
    follow.current = next;
    if (next.following !== following) setFollowing(next.following);
    setScrollTop(el.scrollTop);
  };

  const setFollow = (on: boolean) => {
    follow.current = { ...follow.current, following: on };
    setFollowing(on);
  };

  const find = async (direction: SearchDirection) => {
    if (!query) return;
    const id = ++searchId.current;
    setSearchState('searching');
    const seq = await findInLog(fetchPage, query, match ?? 0, direction, win.total, { aborted: () => id !== searchId.current }).catch(() => null);
    if (id !== searchId.current) return;
    setMatch(seq);
    setSearchState(seq === null ? 'none' : 'idle');
    if (seq !== null) {
      setFollow(false);
      jumpTo(scrollTopFor(geometry, seq - 1, 'center'));
    }
  };

  const download = async () => {
    setDownloading(0);
    try {
      await downloadLog(runId, nodeId, setDownloading);
    } catch (error) {
      appStore.getState().showStatus('error', 'runs.log.downloadFailed', { message: error instanceof Error ? error.message : String(error) });
    } finally {
      setDownloading(null);
    }
  };

  const rows: ReactNode[] = [];
  const gutter = `${String(Math.max(win.total, 9)).length + 1}ch`;
  for (let i = range.first; i <= range.last; i++) {
    const seq = i + 1;
    const row = win.row(seq);
    const protocol = row?.text.startsWith('PIPEWRIGHT_') ?? false;
    const cls = ['log-row', seq === match ? 'match' : '', row === null ? 'dropped' : '', row?.stream === 'stderr' ? 'stderr' : '', protocol ? 'protocol' : ''].filter(Boolean).join(' ');
    rows.push(
      <div key={seq} className={cls} data-seq={seq} style={{ height: ROW_PX }}>
        <span className="log-seq" style={{ width: gutter }}>
          {seq}
        </span>
        <span className="log-text">{row === undefined ? '' : row === null ? t('runs.log.dropped') : highlight(row.text, query)}</span>
      </div>,
    );
  }

  return (
    <section className="log-view" aria-label={t('runs.log.title', { node: nodeLabel })} data-total={win.total} data-held={win.heldLines()} data-following={following}>
      <div className="log-toolbar">
        <input
          type="search"
          className="log-search"
          placeholder={t('runs.log.search')}
          title={t('runs.log.searchHelp')}
          aria-label={t('runs.log.search')}
          value={query}
          onChange={(e) => {
            searchId.current++;
            setQuery(e.target.value);
            setMatch(null);
            setSearchState('idle');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void find(e.shiftKey ? -1 : 1);
          }}
        />
        <button type="button" className="icon-button" aria-label={t('runs.log.prev')} title={t('runs.log.prev')} disabled={!query} onClick={() => void find(-1)}>
          ↑
        </button>
        <button type="button" className="icon-button" aria-label={t('runs.log.next')} title={t('runs.log.next')} disabled={!query} onClick={() => void find(1)}>
          ↓
        </button>
        <span className="log-search-state muted small" aria-live="polite">
          {searchState === 'searching' ? t('runs.log.searching') : searchState === 'none' ? t('runs.log.noMatch') : match !== null ? t('runs.log.matchAt', { line: match }) : ''}
        </span>
        <span className="spacer" />
        <span className="muted small log-count">{t('runs.log.lines', { count: win.total })}</span>
        <button type="button" className={`button small ${following ? 'active' : ''}`} aria-pressed={following} title={t('runs.log.followHelp')} onClick={() => setFollow(!following)}>
          {t('runs.log.follow')}
        </button>
        <button type="button" className="button small" disabled={downloading !== null || win.total === 0} onClick={() => void download()}>
          {downloading !== null ? t('runs.log.downloading', { count: downloading }) : t('runs.log.download')}
        </button>
      </div>
      {win.error && (
        <p className="error-text log-error" role="alert">
          {t('runs.log.readError', { message: win.error })}
        </p>
      )}
      <div className="log-scroller" ref={scroller} onScroll={onScroll} tabIndex={0}>
        {win.total === 0 && <p className="muted log-empty">{t('runs.log.empty')}</p>}
        <div className="log-content" style={{ height: range.heightPx }}>
          <div className="log-rows" style={{ transform: `translateY(${range.firstTopPx}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </section>
  );
}
