import type { Metafile } from 'esbuild';

/**
 * The output files a page loads at start: `entryFile` and everything it reaches through static
 * imports. Chunks only an `import()` reaches (the zlib reader) are left out: the page fetches them
 * when it needs them, if ever.
 */
export function initialFiles(outputs: Metafile['outputs'], entryFile: string): Set<string> {
  const initial = new Set<string>();
  const visit = (name: string): void => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const { path, kind } of outputs[name]?.imports ?? [])
      if (kind === 'import-statement' && outputs[path] !== undefined) visit(path);
  };
  visit(entryFile);
  return initial;
}
