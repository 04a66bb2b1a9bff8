/** One metric chart drawn with uPlot: created once per series set, fed new data as the run grows. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from '../format.ts';
import { useResolvedTheme } from '../theme.ts';
import { alertMarkersPlugin } from '../monitoring/alertMarkers.ts';
import type { ChartMarker } from '../monitoring/alertMarkers.ts';
import type { ChartData } from './metricCharts.ts';

const COLOURS = ['--chart-1', '--chart-2', '--chart-3', '--chart-4'];
const HEIGHT = 130;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Ticks short and distinct (uPlot's fixed decimals print 0.0025 and 0.003 both as "0.003"). */
function formatTick(v: number): string {
  return formatNumber(Number(v.toPrecision(3)));
}

function aligned(data: ChartData): uPlot.AlignedData {
  return [data.steps, ...data.series.map((s) => s.values)];
}

function options(width: number, keys: string[], stepLabel: string, points: boolean, plugins: uPlot.Plugin[]): uPlot.Options {
  const text = cssVar('--text-2', '#4b5363');
  const grid = cssVar('--border', '#dfe2e8');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui, sans-serif' };
  return {
    width,
    height: HEIGHT,
    plugins,
    legend: { show: true, live: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: false } },
    axes: [axis, { ...axis, size: 62, values: (_u, splits) => splits.map((v) => (v == null ? '' : formatTick(v))) }],
    series: [
      { label: stepLabel },
      ...keys.map((key, i) => ({
        label: key,
        stroke: cssVar(COLOURS[i % COLOURS.length], '#3563e9'),
        // A base model's series (base/...) is drawn dashed beside the trained model's.
        ...(key.startsWith('base/') ? { dash: [4, 3] } : {}),
        width: 1.5,
        spanGaps: true,
        points: { show: points, size: 5 },
      })),
    ],
  };
}

interface Props {
  title: string;
  data: ChartData;
  stepLabel: string;
  testId: string;
  /** Steps to mark (where alerts fired). */
  markers?: readonly ChartMarker[];
}

const NO_MARKERS: readonly ChartMarker[] = [];

export function UPlotChart({ title, data, stepLabel, testId, markers = NO_MARKERS }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const theme = useResolvedTheme();
  const latest = useRef(data);
  latest.current = data;
  const latestMarkers = useRef(markers);
  latestMarkers.current = markers;
  const keys = data.series.map((s) => s.key);
  const keySignature = keys.join(',');
  // Points show while there are few of them (the tiny engine logs a handful of steps).
  const points = data.steps.length <= 60;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | null = null;
    let observer: ResizeObserver | null = null;
    // One frame later: the theme's CSS variables are on <html> by then (the app sets them after this effect).
    const frame = requestAnimationFrame(() => {
      const plugins = [alertMarkersPlugin(() => latestMarkers.current)];
      chart = new uPlot(options(Math.max(160, el.clientWidth), keySignature.split(','), stepLabel, points, plugins), aligned(latest.current), el);
      plot.current = chart;
      const built = chart;
      observer = new ResizeObserver(() => built.setSize({ width: Math.max(160, el.clientWidth), height: HEIGHT }));
      observer.observe(el);
    });
    return () => {
      cancelAnimationFrame(frame);
      observer?.disconnect();
      chart?.destroy();
      plot.current = null;
    };
    // Data flows in through setData below; the chart is rebuilt only when its series, theme or point style change.
  }, [keySignature, stepLabel, theme, points]);

  useEffect(() => {
    plot.current?.setData(aligned(data));
  }, [data]);

  useEffect(() => {
    plot.current?.redraw(false);
  }, [markers]);

  return (
    <figure className="metric-chart" data-chart={testId} data-points={data.steps.length}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="metric-chart-plot" />
    </figure>
  );
}
