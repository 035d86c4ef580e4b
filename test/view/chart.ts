import type { Locator } from 'playwright-core';
import { sessionGraph } from '../../src/index.js';

/** The arrows a drawn chart shows (`chart`: its `[data-view="chart"]`), as `from → to`, sorted. */
export async function drawnArrows(chart: Locator): Promise<string[]> {
  const arrows = await chart
    .locator('path.edge')
    .evaluateAll((paths) =>
      paths.map((p) => `${p.getAttribute('data-from')} → ${p.getAttribute('data-to')}`),
    );
  return arrows.sort();
}

/** The arrows the machine allows (`sessionGraph()`), as {@link drawnArrows} gives them. */
export function allowedArrows(): string[] {
  return sessionGraph()
    .edges.map((edge) => `${edge.from} → ${edge.to}`)
    .sort();
}
