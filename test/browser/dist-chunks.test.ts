/**
 * What dist/browser ships, read as files (no browser needed): the entry, index.js, and the chunks
 * it imports statically hold no pako, so a page whose client does not ask for compression never
 * loads it; pako is in the one chunk index.js imports dynamically, the zlib reader, which only a
 * connection asking for compression loads (before its socket opens). scripts/build.mjs refuses to
 * build otherwise; this holds the files that were built to it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOnce, repoRoot } from '../package/build-once.js';

const dir = path.join(repoRoot, 'dist/browser');
const read = (file: string): string => readFileSync(path.join(dir, file), 'utf8');
/** A message only pako's inflate has: where it is, pako is. */
const PAKO_MARK = 'incorrect header check';

/** Relative imports of `js`: static (`import … from "./x.js"`, `import "./x.js"`) and dynamic. */
function importsOf(js: string): { static: string[]; dynamic: string[] } {
  return {
    static: [...js.matchAll(/^(?:import|export)\b[^;]*?["'](\.\/[^"']+)["'];?$/gm)].map((m) => m[1]!),
    dynamic: [...js.matchAll(/\bimport\(["'](\.\/[^"']+)["']\)/g)].map((m) => m[1]!),
  };
}

beforeAll(() => buildOnce(), 180_000);

test('index.js and its static chunks hold no pako; the one dynamic chunk holds it', () => {
  const initial = new Set<string>();
  const dynamic = new Set<string>();
  const visit = (file: string): void => {
    if (initial.has(file)) return;
    initial.add(file);
    const imports = importsOf(read(file));
    for (const next of imports.static) visit(path.posix.normalize(next));
    for (const next of imports.dynamic) dynamic.add(path.posix.normalize(next));
  };
  visit('index.js');
  expect(initial.size).toBeGreaterThan(1); // the chunk shared with the zlib reader (frame-reader.ts)
  for (const file of initial)
    expect({ file, pako: read(file).includes(PAKO_MARK) }).toEqual({ file, pako: false });
  expect([...dynamic]).toHaveLength(1);
  const [reader] = [...dynamic] as [string];
  expect(reader).toMatch(/^inflate\.browser-[A-Z0-9]+\.js$/);
  expect(read(reader)).toContain(PAKO_MARK);
  // Its source map says so too: pako and our pako engine, in that chunk and nowhere else.
  const sources = (file: string): string[] =>
    (JSON.parse(read(`${file}.map`)) as { sources: string[] }).sources;
  for (const file of initial) expect(sources(file).filter((source) => /pako/.test(source))).toEqual([]);
  expect(sources(reader).some((source) => /node_modules\/pako\//.test(source))).toBe(true);
  expect(sources(reader).some((source) => source.endsWith('src/transport/pako-inflate.ts'))).toBe(true);
});
