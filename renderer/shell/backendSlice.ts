/** The back end as the window sees it: reachable or not, and the notices it has for the user. */
import type { StateCreator } from 'zustand';
import type { DataNotice } from '../../shared/api/notices.ts';
import type { ConnectionStatus } from '../api/client.ts';
import type { AppState } from '../store/types.ts';

export interface BackendSlice {
  connection: ConnectionStatus;
  notices: DataNotice[];
  /** Drafts already offered in this window (a dismissed offer is not pushed again for the same drafts). */
  offeredDrafts: string[];
  setConnection(status: ConnectionStatus): void;
  setNotices(notices: DataNotice[]): void;
  markDraftsOffered(draftIds: readonly string[]): void;
}

export const createBackendSlice: StateCreator<AppState, [], [], BackendSlice> = (set, get) => ({
  connection: 'connecting',
  notices: [],
  offeredDrafts: [],
  setConnection(connection) {
    if (get().connection !== connection) set({ connection });
  },
  setNotices(notices) {
    set({ notices });
  },
  markDraftsOffered(draftIds) {
    const known = new Set(get().offeredDrafts);
    const added = draftIds.filter((id) => !known.has(id));
    if (added.length > 0) set({ offeredDrafts: [...get().offeredDrafts, ...added] });
  },
});
