/**
 * The notices of one data dir (shared by every store of this process that reads its state files):
 * each told once. The app shows them and dismisses them; the CLI prints them to stderr as they come.
 */
import path from 'node:path';
import type { DataNotice, NoticesApi } from '../../shared/api/notices.ts';

export interface NoticeBoard extends NoticesApi {
  report(notice: DataNotice): void;
  /** Called with each new notice (also those reported before, when `replay` is set). Returns unsubscribe. */
  onNotice(listener: (notice: DataNotice) => void, replay?: boolean): () => void;
}

export function createNoticeBoard(): NoticeBoard {
  const pending = new Map<string, DataNotice>();
  const told = new Set<string>();
  const listeners = new Set<(notice: DataNotice) => void>();
  return {
    report(notice) {
      if (told.has(notice.id)) return;
      told.add(notice.id);
      pending.set(notice.id, notice);
      for (const listener of [...listeners]) listener(notice);
    },
    onNotice(listener, replay = false) {
      listeners.add(listener);
      if (replay) for (const notice of pending.values()) listener(notice);
      return () => {
        listeners.delete(listener);
      };
    },
    async listNotices() {
      return [...pending.values()];
    },
    async dismissNotice(id) {
      pending.delete(id);
    },
  };
}

const boards = new Map<string, NoticeBoard>();

/** The board of a data dir in this process (one per folder, so the app's stores and its runs service share it). */
export function noticesFor(dataDir: string): NoticeBoard {
  const key = path.resolve(dataDir);
  let board = boards.get(key);
  if (!board) boards.set(key, (board = createNoticeBoard()));
  return board;
}
