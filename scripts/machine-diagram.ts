/**
 * `npm run docs:machine`: draws the session machine (machines/session.machine.ts) as Mermaid and
 * writes it into docs/machine.md between the diagram markers, leaving the prose around them as it
 * is. `--check` writes nothing and exits 1 when the committed diagram is stale.
 *
 * Everything pure (the drawing, the markers) is in state-diagram.ts, which tests import; this file
 * only reads and writes, and runs when imported.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { diagramIsFresh, machineDiagram, withDiagram } from './state-diagram.js';

const docPath = fileURLToPath(new URL('../docs/machine.md', import.meta.url));

function main(args: readonly string[]): number {
  const doc = readFileSync(docPath, 'utf8');
  const diagram = machineDiagram();
  if (args.includes('--check')) {
    if (diagramIsFresh(doc, diagram)) return 0;
    console.error('docs/machine.md: the machine diagram is stale; run `npm run docs:machine`');
    return 1;
  }
  const updated = withDiagram(doc, diagram);
  if (updated === doc) {
    console.log('docs/machine.md: the machine diagram is up to date');
  } else {
    writeFileSync(docPath, updated);
    console.log('docs/machine.md: the machine diagram was rewritten');
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
