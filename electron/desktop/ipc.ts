/**
 * Serves the contract over Electron IPC. Every message's sender is checked: it must be the main frame
 * of one of our windows, showing a page of our app origin.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_OPEN_EXTERNAL_CHANNEL, IPC_SUBSCRIBE_CHANNEL } from '../../shared/api/bridge.ts';
import { ApiError } from '../../shared/api/errors.ts';
import type { ApiEventSource } from '../../shared/api/events.ts';
import type { RpcResponse, RpcServer } from '../../shared/api/rpc.ts';
import { isAppUrl } from './origin.ts';
import type { Reach } from './reach.ts';

export interface IpcOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'on' | 'removeHandler' | 'removeListener'>;
  server: RpcServer;
  events: ApiEventSource;
  /** The webContents of our own windows (checked on each message). */
  isOurWebContents(contents: WebContents): boolean;
  /** A page's session (sent with its subscription) is connected until the returned function is called. */
  connectSession?: (session: string) => () => void;
  /** Consulted before every call is dispatched (electron/desktop/reach.ts). */
  reach?: Pick<Reach, 'check'>;
  /** Opens a link the page asked for (after its click check), answering why not when it does not. */
  openLink?: (url: unknown) => Promise<{ ok: true } | { ok: false; message: string }>;
}

type SenderEvent = Pick<IpcMainInvokeEvent | IpcMainEvent, 'sender' | 'senderFrame'>;

/** Main frame of one of our windows, at our origin. */
export function isTrustedSender(event: SenderEvent, isOurWebContents: (contents: WebContents) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (!isOurWebContents(event.sender)) return false;
  return isAppUrl(frame.url);
}

const REFUSED_MESSAGE = 'refused: the caller is not a Pipewright window';
const REFUSED: RpcResponse = { ok: false, error: { code: 'bad-request', message: REFUSED_MESSAGE } };

/** Registers the handlers; returns a function that removes them. */
const SESSION = /^[A-Za-z0-9_-]{1,64}$/;

/** The reach gate's refusal as an answer, or null to go on. Malformed requests go on to be refused by dispatch. */
async function consultReach(reach: Pick<Reach, 'check'> | undefined, request: unknown, activated: unknown): Promise<RpcResponse | null> {
  if (!reach || typeof request !== 'object' || request === null) return null;
  const { method, args } = request as { method?: unknown; args?: unknown };
  if (typeof method !== 'string') return null;
  try {
    await reach.check(method, Array.isArray(args) ? args : [], { activated: activated === true });
    return null;
  } catch (error) {
    const payload = error instanceof ApiError ? error.toPayload() : { code: 'failed' as const, message: String((error as Error)?.message ?? error) };
    return { ok: false, error: payload };
  }
}

export function registerIpc({ ipcMain, server, events, isOurWebContents, connectSession, reach, openLink }: IpcOptions): () => void {
  const subscriptions = new Map<WebContents, () => void>();

  // `activated`: the preload's reading of navigator.userActivation when the page made the call.
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, request: unknown, activated?: unknown) => {
    if (!isTrustedSender(event, isOurWebContents)) return REFUSED;
    return (await consultReach(reach, request, activated)) ?? server.dispatch(request);
  });

  ipcMain.handle(IPC_OPEN_EXTERNAL_CHANNEL, async (event, url: unknown) => {
    if (!isTrustedSender(event, isOurWebContents)) return { ok: false, message: REFUSED_MESSAGE };
    if (!openLink) return { ok: false, message: 'Not opened: links are not opened from here.' };
    return openLink(url);
  });

  // A page subscribes when its first listener registers (also after a reload), so greetings reach it.
  const onSubscribe = (event: IpcMainEvent, session?: unknown) => {
    if (!isTrustedSender(event, isOurWebContents)) return;
    const contents = event.sender;
    subscriptions.get(contents)?.();
    // The page's session holds its drafts until it reloads or its window goes.
    const release = typeof session === 'string' && SESSION.test(session) ? connectSession?.(session) : undefined;
    const stop = events.subscribe((apiEvent) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, apiEvent);
    });
    const unsubscribe = () => {
      stop();
      release?.();
    };
    if (!subscriptions.has(contents)) {
      contents.once('destroyed', () => {
        subscriptions.get(contents)?.();
        subscriptions.delete(contents);
      });
    }
    subscriptions.set(contents, unsubscribe);
  };
  ipcMain.on(IPC_SUBSCRIBE_CHANNEL, onSubscribe);

  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    ipcMain.removeHandler(IPC_OPEN_EXTERNAL_CHANNEL);
    ipcMain.removeListener(IPC_SUBSCRIBE_CHANNEL, onSubscribe);
    for (const unsubscribe of subscriptions.values()) unsubscribe();
    subscriptions.clear();
  };
}
