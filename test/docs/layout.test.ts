/**
 * The README's layout table is the rule for what each folder may import: every relative import in
 * src/ and machines/ is checked against it, so the table cannot go stale and a layer cannot reach
 * up without the table saying so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const root = join(__dirname, '..', '..');

/** The folders of the table, by the short name its last column uses. */
const layers: Record<string, string> = {
  protocol: 'src/protocol/',
  machines: 'machines/',
  errors: 'src/errors/',
  transport: 'src/transport/',
  plugins: 'src/plugins/',
  session: 'src/session/',
  client: 'src/client.ts',
  index: 'src/index.ts',
  testing: 'src/testing/',
  view: 'src/view/',
  cli: 'src/cli/',
};

/** The table's rows: folder cell → the layers it may import. */
function readTable(): Map<string, Set<string | undefined>> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Layout'));
  const rows = new Map<string, Set<string | undefined>>();
  const above: (string | undefined)[] = [];
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || !cells[1]?.startsWith('`')) continue;
    const folders = [...cells[1].matchAll(/`([^`]+)`/g)]
      .map((m) => m[1] as string)
      .filter((folder) => Object.values(layers).includes(folder));
    const rule = cells[3] ?? '';
    const allowed: Set<string | undefined> =
      rule === 'nothing'
        ? new Set<string>()
        : rule === 'everything'
          ? new Set(Object.keys(layers))
          : rule === 'everything above' // the rows above, and the row's own files each other
            ? new Set([...above, ...folders.map(layerOf)])
            : new Set(rule.split(',').map((name) => name.trim()));
    for (const folder of folders) rows.set(folder, allowed);
    above.push(...folders.map(layerOf));
  }
  return rows;
}

function filesUnder(path: string): string[] {
  if (path.endsWith('.ts')) return [path];
  return readdirSync(join(root, path), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(path, name));
}

/** The layer a project path belongs to, or `undefined` outside every layer. */
function layerOf(path: string): string | undefined {
  for (const [name, prefix] of Object.entries(layers))
    if (prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix) return name;
  return undefined;
}

describe('the README layout table', () => {
  const table = readTable();

  test('names every layer', () => {
    expect([...table.keys()].sort()).toEqual(Object.values(layers).sort());
  });

  test.each(Object.entries(layers))('%s imports only what its row allows', (name, folder) => {
    const allowed = table.get(folder);
    expect(allowed).toBeDefined();
    const wrong: string[] = [];
    for (const file of filesUnder(folder)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = relative(root, normalize(join(root, dirname(file), match[1] as string)));
        const layer = layerOf(target.replace(/\.js$/, '.ts'));
        if (layer !== undefined && layer !== name && !allowed?.has(layer)) wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
