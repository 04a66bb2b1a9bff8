/** Things the back end must tell the user once: a state file it could not read, or one it must not write. */

/** Which state file: the user settings, the recent files list, or an autosaved draft. */
export type NoticeFile = 'settings' | 'recent-files' | 'draft';

export interface DataNotice {
  /** Stable for one file and problem, so it is told once. */
  id: string;
  /**
   * `corrupt`: empty, cut off, not JSON or not the expected shape; the original bytes were moved to `keptAs`
   * and Pipewright goes on with defaults. `newer-version`: written by a newer Pipewright; left untouched
   * and never written over.
   */
  kind: 'corrupt' | 'newer-version';
  file: NoticeFile;
  /** Absolute path of the file. */
  path: string;
  /** Where the original bytes are now (corrupt only). */
  keptAs?: string;
  /** What is wrong, in plain English (for the CLI and logs; the UI words it from the fields). */
  detail: string;
  /** The version the file claims (newer-version only). */
  version?: number;
  /** One plain English sentence with all of the above. */
  message: string;
}

export interface NoticesApi {
  /** Notices not yet dismissed, oldest first. */
  listNotices(): Promise<DataNotice[]>;
  /** The user has seen it: it is not sent again (to any window or tab of this back end). */
  dismissNotice(id: string): Promise<void>;
}
