/**
 * A node card's size before it is rendered, from the same constants canvas.css uses. React Flow shows a node
 * only once it has a size: given one up front, a large pipeline's cards show in the first paint instead of
 * after a hidden render and a measuring pass (the real size still replaces the estimate once measured).
 */
import type { NodeCatalog } from '../../shared/pipeline/catalog.ts';
import { nodePorts } from '../../shared/pipeline/resolve.ts';
import type { PipelineNode } from '../../shared/pipeline/types.ts';
import type { Size } from './flowElements.ts';

// canvas.css: .node-param / .node-params, .node-resources; node-parts.css: .node-ports / .node-port-row.
const PARAM_ROW = 17;
const PARAMS_MARGIN = 6;
const RESOURCES = 17 + 4;
// The ports' 4px top margin collapses into the resources row's bottom margin: padding and border remain.
const PORTS_TOP = 4 + 1;
const PORT_ROW = 20;

/** The parts of a card whose height depends on its text (font dependent): measured once from the DOM. */
export interface CardBase {
  width: number;
  /** Borders, padding, title row and label line. */
  height: number;
}

/** Measures an empty card (title and label only) inside `container`, which must carry the canvas styles. */
export function measureCardBase(container: HTMLElement): CardBase | null {
  const card = document.createElement('div');
  card.className = 'node-card';
  card.style.position = 'absolute';
  card.style.visibility = 'hidden';
  const head = card.appendChild(document.createElement('div'));
  head.className = 'node-head';
  const title = head.appendChild(document.createElement('span'));
  title.className = 'node-title';
  title.textContent = 'M';
  const label = card.appendChild(document.createElement('div'));
  label.className = 'node-label';
  label.textContent = 'M';
  container.appendChild(card);
  const base = { width: card.offsetWidth, height: card.offsetHeight };
  card.remove();
  return base.width > 0 && base.height > 0 ? base : null;
}

/** The size a card will have (without problem badge or run strip, which the measuring pass then corrects). */
export function estimateCardSize(node: PipelineNode, catalog: NodeCatalog, base: CardBase): Size | undefined {
  const spec = catalog.get(node.type);
  if (!spec) return undefined;
  const { inputs, outputs } = nodePorts(node, spec);
  const rows = Math.max(inputs.length, outputs.length);
  const params = spec.type === 'python' ? Math.min(3, node.interface?.parameters?.length ?? 0) : spec.cardParams.length;
  const height = base.height + (params > 0 ? params * PARAM_ROW + PARAMS_MARGIN : 0) + RESOURCES + (rows > 0 ? PORTS_TOP + rows * PORT_ROW : 0);
  return { width: base.width, height };
}
