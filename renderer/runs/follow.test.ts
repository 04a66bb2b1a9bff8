import { describe, expect, it } from 'vitest';
import { atEnd, followAfterJump, followAfterScroll, initialFollow, toggleFollow } from './follow.ts';
import type { FollowState, ScrollMetrics } from './follow.ts';

const at = (scrollTop: number, scrollHeight = 10_000, clientHeight = 400): ScrollMetrics => ({ scrollTop, scrollHeight, clientHeight });

describe('follow', () => {
  it.each([
    ['at the very end', at(9_600), true],
    ['within the slack', at(9_597), true],
    ['a line above the end', at(9_580), false],
    ['content shorter than the view', at(0, 300, 400), true],
  ])('atEnd: %s', (_name, m, expected) => {
    expect(atEnd(m)).toBe(expected);
  });

  const cases: [string, FollowState, ScrollMetrics, boolean][] = [
    ['the user scrolls up: off', { following: true, lastScrollTop: 9_600 }, at(9_000), false],
    ['content grows under a still view: stays on', { following: true, lastScrollTop: 9_600 }, at(9_600, 12_000), true],
    ['the view follows down: stays on', { following: true, lastScrollTop: 9_600 }, at(11_600, 12_000), true],
    ['the user scrolls down but not to the end: stays off', { following: false, lastScrollTop: 1_000 }, at(2_000), false],
    ['the user scrolls down to the end: back on', { following: false, lastScrollTop: 1_000 }, at(9_600), true],
    ['a scroll up that still ends at the end (shorter content): stays on', { following: true, lastScrollTop: 50 }, at(0, 300, 400), true],
    ['a sub-pixel jitter up: stays on', { following: true, lastScrollTop: 9_600 }, at(9_599.5), true],
  ];
  it.each(cases)('followAfterScroll: %s', (_name, state, m, following) => {
    const next = followAfterScroll(state, m);
    expect(next.following).toBe(following);
    expect(next.lastScrollTop).toBe(m.scrollTop);
  });

  it('returns the same state when nothing changed', () => {
    const state: FollowState = { following: true, lastScrollTop: 9_600 };
    expect(followAfterScroll(state, at(9_600))).toBe(state);
  });

  it('a jump moves the reference point, so the next small scroll down is not read as up', () => {
    let state = followAfterJump(initialFollow(true), 5_000);
    state = followAfterScroll(state, at(5_010));
    expect(state.following).toBe(true);
    state = followAfterScroll(state, at(4_000));
    expect(state.following).toBe(false);
    expect(toggleFollow(state).following).toBe(true);
  });
});
