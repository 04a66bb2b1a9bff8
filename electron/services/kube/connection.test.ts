import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionReporter } from './connection.ts';

describe('ConnectionReporter', () => {
  let reports: [string, string | undefined][];
  let reporter: ConnectionReporter;
  beforeEach(() => {
    vi.useFakeTimers();
    reports = [];
    reporter = new ConnectionReporter((state, message) => reports.push([state, message]), 1000);
  });
  afterEach(() => vi.useRealTimers());

  it('says nothing of a drop that heals within the grace period', () => {
    reporter.set('pods', 'disconnected', 'disconnected — retrying (socket hang up)');
    vi.advanceTimersByTime(500);
    reporter.set('pods', 'connected');
    vi.advanceTimersByTime(2000);
    expect(reports).toEqual([]);
  });

  it('reports one disconnect for many streams, with the reason, and connected once all are back', () => {
    reporter.set('pods', 'disconnected', 'disconnected — retrying (Cannot reach the cluster)');
    reporter.set('log:a', 'disconnected', 'log disconnected — retrying (ECONNRESET)');
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([['disconnected', 'disconnected — retrying (Cannot reach the cluster)']]);
    reporter.set('pods', 'connected');
    expect(reports).toHaveLength(1);
    reporter.forget('log:a');
    expect(reports).toEqual([['disconnected', 'disconnected — retrying (Cannot reach the cluster)'], ['connected', undefined]]);
  });
});
