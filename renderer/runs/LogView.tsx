/**
 * One node's log: virtualized rows over a bounded page window (renderer/runs/logWindow.ts), live lines
 * appended as they arrive, follow, whole-log search with its match count, download. PIPEWRIGHT_*
 * protocol lines are hidden by default (renderer/runs/hiddenLines.ts); long lines can wrap.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import { appStore } from '../store/index.ts';
import { followAfterJump, followAfterScroll, initialFollow } from './follow.ts';
import type { FollowState } from './follow.ts';
import { subscribeLog } from './logBus.ts';
import { isProtocolLine } from '../../shared/runs/protocol.ts';
import { HiddenLines } from './hiddenLines.ts';
import { LogMatches } from './logMatches.ts';
import { matchRanges } from './logSearch.ts';
import type { SearchDirection } from './logSearch.ts';
import { LogWindow } from './logWindow.ts';
import { downloadLog } from './runActions.ts';
import { scrollTopFor, visibleRows } from './virtualRows.ts';

const ROW_PX = 18;
const SEARCH_DELAY_MS = 200;

/** The toggles carry over from one step's log to the next while the app is open. */
const prefs = { showProtocol: false, wrap: false };

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
  const [showProtocol, setShowProtocol] = useState(prefs.showProtocol);
  const [wrap, setWrap] = useState(prefs.wrap);
  // Re-render when the hidden-line index or the match list learn more (they are mutable, like the window).
  const [, setLearnt] = useState(0);
  /** Enter pressed before the search found anything: go to the first match once it is found. */
  const pendingFind = useRef<SearchDirection | null>(null);
  const anchorSeq = useRef<number | null>(null);
  const relearn = useCallback(() => setLearnt((n) => n + 1), []);
  const hidden = useMemo(() => new HiddenLines(isProtocolLine), [win]);
  const [matches, setMatches] = useState<LogMatches | null>(null);
  const [wrapExtraPx, setWrapExtraPx] = useState(0);
  const rowsBox = useRef<HTMLDivElement>(null);
  const [downloading, setDownloading] = useState<number | null>(null);

  const matchesRef = useRef<LogMatches | null>(null);
  matchesRef.current = matches;
  useEffect(() => {
    const stop = subscribeLog(runId, nodeId, (lines) => {
      win.appendLive(lines);
      hidden.add(lines);
      matchesRef.current?.add(lines);
    });
    void win.probe();
    return stop;
  }, [win, hidden, runId, nodeId]);

  // Scans end with the view (or its log), not with each new line.
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, [win]);

  // Learn which lines are protocol lines (the whole log, once; then live lines keep it current).
  useEffect(() => {
    if (hidden.known >= win.total) return;
    void hidden.scan(fetchPage, () => win.total, () => !alive.current).then(relearn, () => undefined);
  }, [hidden, win, fetchPage, version, relearn]);

  // The match list of the query: read the whole log once (after a short pause in typing).
  useEffect(() => {
    if (!query) {
      setMatches(null);
      return;
    }
    const list = new LogMatches(query, showProtocol ? () => false : isProtocolLine);
    setMatches(list);
    let current = true;
    const timer = setTimeout(() => {
      void list.scan(fetchPage, () => win.total, () => !current || !alive.current).then(() => current && relearn(), () => undefined);
    }, SEARCH_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // A new list for a new query or filter only; live lines extend it.
  }, [query, showProtocol, fetchPage, win, relearn]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setViewportPx(el.clientHeight));
    observer.observe(el);
    setViewportPx(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  const hide = !showProtocol;
  const rowCount = hide ? hidden.rows(win.total) : win.total;
  const seqAt = (row: number) => (hide ? hidden.seqAt(row) : row + 1);
  const rowOf = (seq: number) => (hide ? hidden.rowOf(seq) : seq - 1);
  const geometry = { total: rowCount, rowPx: ROW_PX, viewportPx };
  const range = visibleRows(geometry, scrollTop, 20);
  const firstSeq = range.last >= range.first ? seqAt(range.first) : 0;
  const lastSeq = range.last >= range.first ? seqAt(range.last) : 0;

  useEffect(() => {
    if (lastSeq >= firstSeq && lastSeq > 0) void win.ensure(firstSeq, lastSeq);
  }, [win, firstSeq, lastSeq, version]);

  // Wrapped rows are taller than one line: the content grows by what the drawn rows measure beyond it.
  useLayoutEffect(() => {
    const box = rowsBox.current;
    const extra = wrap && box ? Math.max(0, box.offsetHeight - (range.last - range.first + 1) * ROW_PX) : 0;
    if (Math.abs(extra - wrapExtraPx) > 1) setWrapExtraPx(extra);
  });

  const jumpTo = (top: number) => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = top;
    follow.current = followAfterJump(follow.current, el.scrollTop);
    setScrollTop(el.scrollTop);
  };

  useLayoutEffect(() => {
    if (!following || rowCount === 0) return;
    const el = scroller.current;
    if (wrap && el) jumpTo(el.scrollHeight - el.clientHeight);
    else jumpTo(scrollTopFor({ total: rowCount, rowPx: ROW_PX, viewportPx }, rowCount - 1, 'end'));
  }, [version, following, viewportPx, win, rowCount, wrap, wrapExtraPx]);

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

  const find = (direction: SearchDirection) => {
    if (!matches) return;
    if (matches.count === 0) {
      pendingFind.current = matches.scanned < win.total || matches.scanned === 0 ? direction : null;
      return;
    }
    // From the match shown, else from the top of the view.
    const seq = matches.next(match ?? (direction === 1 ? Math.max(0, firstSeq - 1) : lastSeq + 1), direction);
    setMatch(seq);
    if (seq !== null) {
      setFollow(false);
      jumpTo(scrollTopFor(geometry, rowOf(seq), 'center'));
    }
  };
  useEffect(() => {
    if (pendingFind.current && matches && matches.count > 0) {
      const direction = pendingFind.current;
      pendingFind.current = null;
      find(direction);
    }
  });
  useLayoutEffect(() => {
    const seq = anchorSeq.current;
    anchorSeq.current = null;
    if (seq !== null && !following) jumpTo(scrollTopFor(geometry, rowOf(seq), 'start'));
    // Only when the filter changes.
  }, [showProtocol]);
  const searching = matches !== null && matches.scanned < win.total;
  const matchIndex = matches && match !== null ? matches.indexOf(match) : -1;
  const searchText = !matches
    ? ''
    : matches.count === 0
      ? searching
        ? t('runs.log.searching')
        : matches.skipped > 0
          ? t('runs.log.onlyHidden', { count: matches.skipped })
          : t('runs.log.noMatch')
      : t('runs.log.matchCount', { n: matchIndex >= 0 ? matchIndex + 1 : '–', m: `${matches.count}${matches.capped ? '+' : ''}${searching ? '…' : ''}` });

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
    const seq = seqAt(i);
    const row = win.row(seq);
    const protocol = row?.text.startsWith('PIPEWRIGHT_') ?? false;
    const cls = ['log-row', seq === match ? 'match' : '', row === null ? 'dropped' : '', row?.stream === 'stderr' ? 'stderr' : '', protocol ? 'protocol' : ''].filter(Boolean).join(' ');
    rows.push(
      <div key={seq} className={cls} data-seq={seq} style={wrap ? { minHeight: ROW_PX } : { height: ROW_PX }}>
        <span className="log-seq" style={{ width: gutter }}>
          {seq}
        </span>
        <span className="log-text">{row === undefined ? '' : row === null ? t('runs.log.dropped') : highlight(row.text, query)}</span>
      </div>,
    );
  }

  return (
    <section className={`log-view ${wrap ? 'wrap' : ''}`} aria-label={t('runs.log.title', { node: nodeLabel })} data-total={win.total} data-rows={rowCount} data-held={win.heldLines()} data-following={following}>
      <div className="log-toolbar">
        <input
          type="search"
          className="log-search"
          placeholder={t('runs.log.search')}
          title={t('runs.log.searchHelp')}
          aria-label={t('runs.log.search')}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setMatch(null);
            pendingFind.current = null;
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') find(e.shiftKey ? -1 : 1);
          }}
        />
        <button type="button" className="icon-button" aria-label={t('runs.log.prev')} title={t('runs.log.prev')} disabled={!matches?.count} onClick={() => find(-1)}>
          ↑
        </button>
        <button type="button" className="icon-button" aria-label={t('runs.log.next')} title={t('runs.log.next')} disabled={!matches?.count} onClick={() => find(1)}>
          ↓
        </button>
        <span className="log-search-state muted small" aria-live="polite" data-testid="log-match-count" title={match !== null ? t('runs.log.matchAt', { line: match }) : undefined}>
          {searchText}
        </span>
        <span className="spacer" />
        <label className="log-toggle small" title={t('runs.log.protocolHelp')}>
          <input
            type="checkbox"
            checked={showProtocol}
            onChange={(e) => {
              // Keep the line at the top of the view where it is.
              const top = visibleRows(geometry, scrollTop, 0);
              anchorSeq.current = top.last >= top.first ? seqAt(top.first) : null;
              prefs.showProtocol = e.target.checked;
              setShowProtocol(e.target.checked);
              setMatch(null);
            }}
          />
          {t('runs.log.showProtocol')}
          {hidden.hidden > 0 && <span className="muted" data-testid="log-hidden-count">{t(showProtocol ? 'runs.log.protocolCount' : 'runs.log.hiddenCount', { count: hidden.hidden })}</span>}
        </label>
        <label className="log-toggle small">
          <input
            type="checkbox"
            checked={wrap}
            onChange={(e) => {
              prefs.wrap = e.target.checked;
              setWrap(e.target.checked);
            }}
          />
          {t('runs.log.wrap')}
        </label>
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
        <div className="log-content" style={{ height: range.heightPx + (wrap ? wrapExtraPx : 0) }}>
          <div className="log-rows" ref={rowsBox} style={{ transform: `translateY(${range.firstTopPx}px)` }}>
            {rows}
          </div>
        </div>
      </div>
    </section>
  );
}
