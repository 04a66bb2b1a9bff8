/**
 * Autosaved drafts under `<data dir>/recovery/<draftId>.json`, and telling a live draft from one left
 * behind. A draft is live while the window or tab autosaving it is connected to this process; other
 * Pipewright processes on the same data dir see it through `<draftId>.lease`, renewed every few
 * seconds and naming the owner's pid. Gone session, dead pid or stale lease: the draft is offered.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '../../shared/api/errors.ts';
import { isBlankDocument } from '../../shared/api/recovery.ts';
import type { RecoveredDraft, RecoveryApi, RecoveryDraft, RecoveryEntry } from '../../shared/api/recovery.ts';
import { documentSchema } from '../../shared/api/validators.ts';
import { refuseFormat } from '../../shared/pipeline/formatCheck.ts';
import { writeJsonFile } from './jsonFile.ts';
import { noticesFor } from './notices.ts';
import type { NoticeBoard } from './notices.ts';
import { readStateFile, stateNotice } from './stateFile.ts';
import type { ParseResult, StateRead } from './stateFile.ts';

export const DRAFT_VERSION = 1;

export interface RecoveryStoreOptions {
  dataDir: string;
  now?: () => Date;
  /** A draft saved without a connected session counts as left behind once not autosaved for this long. */
  staleAfterMs?: number;
  /** Another process's lease older than this is stale (its owner stopped renewing it). */
  leaseMs?: number;
  /** How often this process renews the leases of its live drafts. */
  renewMs?: number;
  notices?: NoticeBoard;
}

export interface RecoveryStore extends RecoveryApi {
  /** A window or tab is connected; its drafts stay live until the returned function is called. */
  connectSession(session: string): () => void;
  /** Called when the drafts on offer may have changed (a session left, a draft was taken or discarded). */
  onChange(listener: () => void): () => void;
  /** Stop renewing leases; drafts still open become left behind (offered on the next start). */
  close(): Promise<void>;
}

type StoredDraft = { kind: 'draft'; draft: RecoveredDraft } | { kind: 'newer'; entry: RecoveryEntry };

const headerSchema = z.object({ draftId: z.string(), path: z.string().nullable(), name: z.string(), savedAt: z.string() });
const leaseSchema = z.object({ pid: z.number(), host: z.string(), instance: z.string(), renewedAt: z.string() });

const DRAFT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseDraft(raw: unknown): ParseResult<StoredDraft> {
  const header = headerSchema.safeParse(raw);
  if (!header.success || !isObject(raw)) return { ok: false, detail: 'it is not a draft (draftId, path, name, savedAt and document)' };
  const entry: RecoveryEntry = header.data;
  const format = isObject(raw.document) ? raw.document.format : undefined;
  const refusal = refuseFormat(format, 'restore');
  if (refusal?.kind === 'format-too-new') return { ok: true, value: { kind: 'newer', entry: { ...entry, newerFormat: refusal.format } } };
  const document = documentSchema.safeParse(raw.document);
  if (!document.success || refusal) return { ok: false, detail: refusal ? refusal.message : 'its document is not a pipeline' };
  return { ok: true, value: { kind: 'draft', draft: { ...entry, document: document.data } } };
}

function newerDraftVersion(raw: unknown): number | undefined {
  return isObject(raw) && typeof raw.version === 'number' && raw.version > DRAFT_VERSION ? raw.version : undefined;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createRecoveryStore(options: RecoveryStoreOptions): RecoveryStore {
  const { dataDir, now = () => new Date(), staleAfterMs = 60_000, leaseMs = 20_000, renewMs = 5_000 } = options;
  const notices = options.notices ?? noticesFor(dataDir);
  const dir = path.join(dataDir, 'recovery');
  const instance = randomBytes(8).toString('hex');
  const host = os.hostname();
  /** Drafts this process holds: who autosaves them and when it last did. */
  const mine = new Map<string, { session?: string; lastSave: number }>();
  /** Open connections per session, and every session ever connected. */
  const connections = new Map<string, number>();
  const knownSessions = new Set<string>();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;

  const fileOf = (draftId: string) => {
    if (!DRAFT_ID.test(draftId)) throw new ApiError('invalid-arguments', `not a draft id: ${draftId.slice(0, 80)}`);
    return path.join(dir, `${draftId}.json`);
  };
  const leaseOf = (draftId: string) => path.join(dir, `${draftId}.lease`);
  const changed = () => {
    for (const listener of [...listeners]) listener();
  };

  const holds = (draftId: string): boolean => {
    const draft = mine.get(draftId);
    if (!draft) return false;
    if (draft.session !== undefined && knownSessions.has(draft.session)) return (connections.get(draft.session) ?? 0) > 0;
    return now().getTime() - draft.lastSave <= staleAfterMs;
  };

  async function writeLease(draftId: string): Promise<void> {
    await writeJsonFile(leaseOf(draftId), { pid: process.pid, host, instance, renewedAt: now().toISOString() });
  }

  async function dropLease(draftId: string): Promise<void> {
    await fs.rm(leaseOf(draftId), { force: true });
  }

  /** Another live Pipewright process holds it. */
  async function heldElsewhere(draftId: string): Promise<boolean> {
    let lease: z.infer<typeof leaseSchema>;
    try {
      const parsed = leaseSchema.safeParse(JSON.parse(await fs.readFile(leaseOf(draftId), 'utf8')));
      if (!parsed.success) return false;
      lease = parsed.data;
    } catch {
      return false;
    }
    if (lease.instance === instance) return false;
    if (now().getTime() - Date.parse(lease.renewedAt) > leaseMs) return false;
    return lease.host !== host || pidAlive(lease.pid);
  }

  async function renew(): Promise<void> {
    for (const draftId of [...mine.keys()]) {
      if (!holds(draftId)) await release(draftId);
      // A draft deleted behind our back (discarded by hand) gets no lease; one being written keeps its entry.
      else if (await fs.stat(fileOf(draftId)).then(() => true, () => false)) await writeLease(draftId).catch(() => undefined);
    }
  }

  async function release(draftId: string): Promise<void> {
    mine.delete(draftId);
    await dropLease(draftId).catch(() => undefined);
  }

  async function hold(draftId: string, session: string | undefined): Promise<void> {
    const fresh = !mine.has(draftId);
    mine.set(draftId, { ...(session !== undefined ? { session } : {}), lastSave: now().getTime() });
    if (fresh) await writeLease(draftId);
    timer ??= setInterval(() => void renew(), renewMs);
    timer.unref();
  }

  async function readDraft(draftId: string): Promise<StateRead<StoredDraft>> {
    const file = fileOf(draftId);
    const read = await readStateFile(file, { parse: parseDraft, newerVersion: newerDraftVersion, now });
    const notice = stateNotice('draft', file, read);
    if (notice) notices.report(notice);
    return read;
  }

  return {
    async saveRecovery(draft: RecoveryDraft) {
      const file = fileOf(draft.draftId);
      const refusal = refuseFormat(draft.document.format, 'autosave');
      if (refusal) throw new ApiError('failed', `Not autosaved: ${refusal.message}.`);
      await hold(draft.draftId, draft.session);
      const { session: _session, ...stored } = draft;
      await writeJsonFile(file, { version: DRAFT_VERSION, ...stored, savedAt: now().toISOString() });
    },

    async discardRecovery(draftId) {
      const file = fileOf(draftId);
      mine.delete(draftId);
      await fs.rm(file, { force: true });
      await dropLease(draftId);
      changed();
    },

    async listRecovery() {
      const names = await fs.readdir(dir).catch(() => [] as string[]);
      const entries: RecoveryEntry[] = [];
      for (const name of names) {
        const draftId = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
        if (!DRAFT_ID.test(draftId) || holds(draftId) || (await heldElsewhere(draftId))) continue;
        const read = await readDraft(draftId);
        if (read.kind === 'newer') entries.push({ ...(await newerEntry(draftId)), newerFormat: `pipewright draft version ${read.version}` });
        if (read.kind !== 'ok') continue;
        if (read.value.kind === 'newer') {
          entries.push(read.value.entry);
          continue;
        }
        const { document, ...entry } = read.value.draft;
        // An untitled draft with nothing in it (opened, never edited) is not worth a dialog.
        if (entry.path === null && isBlankDocument(document)) {
          mine.delete(draftId);
          await fs.rm(fileOf(draftId), { force: true });
          await dropLease(draftId);
        } else entries.push(entry);
      }
      return entries.sort((a, b) => b.savedAt.localeCompare(a.savedAt));

      async function newerEntry(draftId: string): Promise<RecoveryEntry> {
        const raw: unknown = JSON.parse(await fs.readFile(fileOf(draftId), 'utf8'));
        const header = headerSchema.safeParse(raw);
        return header.success ? header.data : { draftId, path: null, name: draftId, savedAt: new Date(0).toISOString() };
      }
    },

    async restoreRecovery(draftId, session) {
      const owner = mine.get(draftId);
      if ((holds(draftId) && owner?.session !== session) || (await heldElsewhere(draftId))) {
        throw new ApiError('failed', `Draft "${draftId}" is open in another window or tab; it was not restored here.`);
      }
      const read = await readDraft(draftId);
      if (read.kind === 'missing') throw new ApiError('failed', `no recovery draft "${draftId}" (already restored or discarded?)`);
      if (read.kind === 'corrupt') throw new ApiError('failed', `The draft cannot be restored: ${read.detail}.`);
      if (read.kind === 'newer' || read.value.kind === 'newer') {
        const what = read.kind === 'newer' ? `draft version ${read.version}` : `format ${read.value.kind === 'newer' ? read.value.entry.newerFormat : ''}`;
        throw new ApiError('failed', `The draft was written by a newer Pipewright (${what}); update Pipewright to restore it. It is kept as it is.`);
      }
      await hold(draftId, session);
      changed();
      return read.value.draft;
    },

    connectSession(session) {
      knownSessions.add(session);
      connections.set(session, (connections.get(session) ?? 0) + 1);
      let connected = true;
      return () => {
        if (!connected) return;
        connected = false;
        const left = (connections.get(session) ?? 1) - 1;
        if (left > 0) {
          connections.set(session, left);
          return;
        }
        connections.delete(session);
        const orphaned = [...mine.entries()].filter(([, draft]) => draft.session === session).map(([draftId]) => draftId);
        if (orphaned.length === 0) return;
        void Promise.all(orphaned.map((draftId) => release(draftId))).then(changed);
      };
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    async close() {
      clearInterval(timer);
      timer = undefined;
      await Promise.all([...mine.keys()].map((draftId) => release(draftId)));
    },
  };
}
