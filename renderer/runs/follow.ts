/**
 * The log view's follow toggle: while on, the view stays at the end as lines arrive. A scroll up by the
 * user turns it off; scrolling back to the very end turns it on again.
 */
export interface FollowState {
  following: boolean;
  /** scrollTop at the previous scroll event, to tell up from down. */
  lastScrollTop: number;
}

export interface ScrollMetrics {
  scrollTop: number;
  scrollHeight: number;
  clientHeight: number;
}

/** How close to the end (px) still counts as "at the end". */
export const END_SLACK_PX = 4;

export function atEnd(m: ScrollMetrics): boolean {
  return m.scrollHeight - (m.scrollTop + m.clientHeight) <= END_SLACK_PX;
}

export function initialFollow(following: boolean): FollowState {
  return { following, lastScrollTop: 0 };
}

/** The state after a scroll event. Content growing under a still view is not a scroll up. */
export function followAfterScroll(state: FollowState, m: ScrollMetrics): FollowState {
  const movedUp = m.scrollTop < state.lastScrollTop - 1;
  let following = state.following;
  if (movedUp && !atEnd(m)) following = false;
  else if (!state.following && !movedUp && m.scrollTop > state.lastScrollTop && atEnd(m)) following = true;
  if (following === state.following && m.scrollTop === state.lastScrollTop) return state;
  return { following, lastScrollTop: m.scrollTop };
}

/** The toggle (button or key): turning follow on also asks the view to jump to the end. */
export function toggleFollow(state: FollowState): FollowState {
  return { ...state, following: !state.following };
}

/** The view jumped (to the end, to a search match, to a new node's log): the next scroll compares with this. */
export function followAfterJump(state: FollowState, scrollTop: number): FollowState {
  return scrollTop === state.lastScrollTop ? state : { ...state, lastScrollTop: scrollTop };
}
