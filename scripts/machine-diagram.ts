/**
 * `npm run docs:machine`: draws the session machine (machines/session.machine.ts) as Mermaid and
 * writes it into docs/machine.md and README.md between the diagram markers, leaving the prose around them as it
 * is. `--check` writes nothing and exits 1 when the committed diagram is stale.
 *
 * Everything pure (the drawing, the markers) is in state-diagram.ts, which tests import; this file
 * only reads and writes, and runs when imported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diagramIsFresh, machineDiagram, withDiagram } from './state-diagram.js';

/** Every file that shows the diagram between the markers. */
export const diagramDocs = ['docs/machine.md', 'README.md'] as const;

function main(args: readonly string[]): number {
  const diagram = machineDiagram();
  let stale = 0;
  for (const name of diagramDocs) {
    const path = fileURLToPath(new URL(`../${name}`, import.meta.url));
    const doc = readFileSync(path, 'utf8');
    if (args.includes('--check')) {
      if (!diagramIsFresh(doc, diagram)) {
        console.error(`${name}: the machine diagram is stale; run \`npm run docs:machine\``);
        stale++;
      }
      continue;
    }
    const updated = withDiagram(doc, diagram);
    if (updated === doc) console.log(`${name}: the machine diagram is up to date`);
    else {
      writeFileSync(path, updated);
      console.log(`${name}: the machine diagram was rewritten`);
    }
  }
  return stale === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
