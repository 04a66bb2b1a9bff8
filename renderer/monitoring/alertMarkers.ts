/** A uPlot plugin marking the steps where alerts fired: a dashed line and a label over the plot, redrawn with it. */
import type uPlot from 'uplot';
import type { ChartData } from '../runs/metricCharts.ts';

export interface ChartMarker {
  step: number;
  label: string;
  /** What the marker stands for, for a tooltip and tests (the alert's rule). */
  kind: string;
}

export function alertMarkersPlugin(markers: () => readonly ChartMarker[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        for (const old of u.over.querySelectorAll('.alert-marker')) old.remove();
        const [min, max] = [u.scales.x.min, u.scales.x.max];
        for (const m of markers()) {
          if (min === undefined || max === undefined || m.step < min || m.step > max) continue;
          const el = document.createElement('div');
          el.className = 'alert-marker';
          el.dataset.step = String(m.step);
          el.dataset.kind = m.kind;
          el.title = m.label;
          const x = u.valToPos(m.step, 'x');
          el.style.left = `${x}px`;
          // Near the right edge the label goes to the line's left, where it is not cut off.
          if (x > u.over.clientWidth - 64) el.classList.add('label-left');
          const label = document.createElement('span');
          label.className = 'alert-marker-label';
          label.textContent = m.label;
          el.append(label);
          u.over.append(el);
        }
      },
    },
  };
}

/** The chart's data with every marker's step on the x axis (a NaN loss leaves no point there to stand on). */
export function withMarkerSteps(data: ChartData, markers: readonly ChartMarker[]): ChartData {
  const missing = [...new Set(markers.map((m) => m.step))].filter((s) => !data.steps.includes(s));
  if (missing.length === 0) return data;
  const steps = [...data.steps, ...missing].sort((a, b) => a - b);
  const index = new Map(data.steps.map((s, i) => [s, i]));
  return { steps, series: data.series.map((s) => ({ key: s.key, values: steps.map((step) => (index.has(step) ? s.values[index.get(step)!] : null)) })) };
}
