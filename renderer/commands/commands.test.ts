import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { appStore, resetAppStore } from '../store/index.ts';
import { actions, findAction } from './actions.ts';
import { addNodeOfType, autoLayout, connectPorts, copySelectionText, deleteSelection, duplicateSelection, pasteText, selectAll } from './editing.ts';
import { displayChord, matchesChord } from './keys.ts';
import type { KeyLike } from './keys.ts';
import { actionForKey } from './useKeyboardShortcuts.ts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
const s = () => appStore.getState();

describe('shortcut matching', () => {
  it.each([
    ['Mod+Z', key('z', { ctrlKey: true }), true],
    ['Mod+Z', key('z', { metaKey: true }), true],
    ['Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }), false],
    ['Mod+Shift+Z', key('Z', { ctrlKey: true, shiftKey: true }), true],
    ['Mod+Y', key('y', { ctrlKey: true }), true],
    ['Delete', key('Delete'), true],
    ['Delete', key('Delete', { ctrlKey: true }), false],
    ['?', key('?', { shiftKey: true }), true],
    ['Shift+1', key('!', { shiftKey: true }), true],
    ['Mod+Enter', key('Enter', { ctrlKey: true }), true],
    ['Mod+Enter', key('Enter'), false],
    ['=', key('=', { altKey: true }), false],
  ])('%s vs %o → %s', (kbd, event, expected) => {
    expect(matchesChord(kbd, event)).toBe(expected);
  });

  it('shows chords the platform way', () => {
    expect(displayChord('Mod+Shift+Z', false)).toBe('Ctrl+Shift+Z');
    expect(displayChord('Mod+Shift+Z', true)).toBe('⌘⇧Z');
    expect(displayChord('Delete', false)).toBe('Delete');
  });
});

describe('the action registry', () => {
  it('has unique ids, a label and at most one owner per shortcut', () => {
    expect(new Set(actions.map((a) => a.id)).size).toBe(actions.length);
    const chords = actions.flatMap((a) => a.kbd);
    expect(new Set(chords).size).toBe(chords.length);
    for (const a of actions) expect(a.label).toMatch(/^[a-z]+\.[a-zA-Z.]+$/);
  });

  it.each([
    ['edit.undo', key('z', { ctrlKey: true })],
    ['edit.redo', key('Z', { ctrlKey: true, shiftKey: true })],
    ['edit.redo', key('y', { ctrlKey: true })],
    ['edit.copy', key('c', { ctrlKey: true })],
    ['edit.paste', key('v', { ctrlKey: true })],
    ['edit.duplicate', key('d', { ctrlKey: true })],
    ['edit.delete', key('Delete')],
    ['file.save', key('s', { ctrlKey: true })],
    ['file.open', key('o', { ctrlKey: true })],
    ['file.new', key('n', { ctrlKey: true })],
    ['run.start', key('Enter', { ctrlKey: true })],
  ])('%s is reachable from the keyboard', (id, event) => {
    expect(actionForKey(event, false, false)?.id).toBe(id);
  });

  it('in a text field, editing keys stay with the field but Save still works', () => {
    expect(actionForKey(key('z', { ctrlKey: true }), true, false)).toBeUndefined();
    expect(actionForKey(key('Delete'), true, false)).toBeUndefined();
    expect(actionForKey(key('s', { ctrlKey: true }), true, false)?.id).toBe('file.save');
  });

  it('an open dialog takes the keys', () => {
    expect(actionForKey(key('z', { ctrlKey: true }), false, true)).toBeUndefined();
  });
});

describe('editing commands', () => {
  beforeEach(() => resetAppStore());

  it('adds a node of a type with a fresh id and selects it', () => {
    expect(addNodeOfType('cpt', { x: 3, y: 4 })).toBe('cpt');
    expect(addNodeOfType('cpt', { x: 3, y: 4 })).toBe('cpt-2');
    expect(s().selectedNodeIds).toEqual(['cpt-2']);
    expect(addNodeOfType('no-such-type', { x: 0, y: 0 })).toBeNull();
  });

  it('a python node starts with code and its own ports', () => {
    addNodeOfType('python', { x: 0, y: 0 });
    const node = s().doc.nodes[0];
    expect(node.interface?.outputs.length).toBeGreaterThan(0);
    expect(typeof node.code).toBe('string');
  });

  it('connects compatible ports and refuses others with a reason on the status line', () => {
    addNodeOfType('dataset', { x: 0, y: 0 });
    addNodeOfType('cpt', { x: 300, y: 0 });
    addNodeOfType('eval', { x: 600, y: 0 });
    expect(connectPorts({ source: 'dataset', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' })).toBe(true);
    expect(s().doc.edges).toEqual([{ id: 'e1', source: 'dataset', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' }]);
    expect(connectPorts({ source: 'dataset', sourceHandle: 'dataset', target: 'eval', targetHandle: 'model' })).toBe(false);
    expect(s().status).toMatchObject({ kind: 'error', key: 'connect.kindMismatch', values: { from: 'dataset', to: 'model' } });
  });

  it('duplicate, copy and paste make one undo step each; delete removes the selection', () => {
    addNodeOfType('sft', { x: 0, y: 0 });
    const steps = s().history.undo.length;
    expect(duplicateSelection()).toBe(1);
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['sft', 'sft-2']);
    expect(s().history.undo.length).toBe(steps + 1);
    const text = copySelectionText()!;
    const other: PipelineDocument = { format: 'pipewright.pipeline/v2', name: 'other', nodes: [], edges: [] };
    s().loadDocument(other, null);
    expect(pasteText(text)).toBe(1);
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['sft-2']);
    expect(pasteText('not a selection')).toBe(0);
    selectAll();
    expect(deleteSelection()).toBe(true);
    expect(s().doc.nodes).toEqual([]);
    s().undo();
    expect(s().doc.nodes.map((n) => n.id)).toEqual(['sft-2']);
  });

  it('automatic layout moves nodes left to right along the edges, as one undo step', () => {
    for (const type of ['dataset', 'preprocess', 'cpt']) addNodeOfType(type, { x: 0, y: 0 });
    connectPorts({ source: 'dataset', sourceHandle: 'dataset', target: 'preprocess', targetHandle: 'dataset' });
    connectPorts({ source: 'preprocess', sourceHandle: 'dataset', target: 'cpt', targetHandle: 'dataset' });
    const steps = s().history.undo.length;
    autoLayout();
    const xs = s().doc.nodes.map((n) => n.position.x);
    expect(xs[0]).toBeLessThan(xs[1]);
    expect(xs[1]).toBeLessThan(xs[2]);
    expect(s().history.undo.length).toBe(steps + 1);
  });

  it('run is blocked while errors exist', async () => {
    addNodeOfType('dataset', { x: 0, y: 0 });
    await findAction('run.start')!.run();
    expect(s().dialog).toEqual({ kind: 'blocked', action: 'run' });
  });
});
