import { describe, expect, it } from 'vitest';
import type { DocumentState } from '../../shared/api/app.ts';
import { createCloseGuard } from './closeGuard.ts';
import type { CloseChoice } from './closeGuard.ts';

function setup(choice: CloseChoice, dirty = true) {
  let state: DocumentState = { dirty, title: 'demo', path: null };
  const log: string[] = [];
  const guard = createCloseGuard({
    documentState: () => state,
    ask: async () => {
      log.push('ask');
      return choice;
    },
    requestSave: () => log.push('save'),
    close: () => log.push('close'),
  });
  const report = (next: DocumentState) => {
    state = next;
    guard.onDocumentState(next);
  };
  return { guard, log, report };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('close guard', () => {
  it('lets a clean window close without asking', () => {
    const { guard, log } = setup('cancel', false);
    expect(guard.onClose()).toBe(false);
    expect(log).toEqual([]);
  });

  it('keeps the window open when the user cancels', async () => {
    const { guard, log } = setup('cancel');
    expect(guard.onClose()).toBe(true);
    await tick();
    expect(log).toEqual(['ask']);
  });

  it('closes without saving on "discard"', async () => {
    const { guard, log } = setup('discard');
    expect(guard.onClose()).toBe(true);
    await tick();
    expect(log).toEqual(['ask', 'close']);
    expect(guard.onClose()).toBe(false);
  });

  it('asks the renderer to save and closes once it reports a clean document', async () => {
    const { guard, log, report } = setup('save');
    guard.onClose();
    await tick();
    expect(log).toEqual(['ask', 'save']);
    report({ dirty: false, title: 'demo', path: '/p/demo.pipewright.json' });
    expect(log).toEqual(['ask', 'save', 'close']);
  });

  it('stays open when the save was cancelled', async () => {
    const { guard, log, report } = setup('save');
    guard.onClose();
    await tick();
    report({ dirty: true, title: 'demo', path: null });
    expect(log).toEqual(['ask', 'save']);
    expect(guard.onClose()).toBe(true);
  });

  it('asks once however often close is pressed while the prompt is open', async () => {
    const { guard, log } = setup('cancel');
    guard.onClose();
    guard.onClose();
    await tick();
    expect(log).toEqual(['ask']);
  });
});
