import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../../src/index.js';

/** docs/plugins.md shows code that runs here: these tests keep the two the same. */

const root = join(__dirname, '../..');
const guide = readFileSync(join(root, 'docs/plugins.md'), 'utf8');

/** The first ```ts block after `marker` in the guide. */
function blockAfter(marker: string): string {
  const at = guide.indexOf(marker);
  if (at === -1) throw new Error(`docs/plugins.md has no "${marker}"`);
  const match = /```ts\n([\s\S]*?)```/.exec(guide.slice(at));
  if (match === null) throw new Error(`no ts block after "${marker}"`);
  return match[1]!;
}

describe('docs/plugins.md', () => {
  test('the jest example is test/examples/plugin-guide.test.ts, imports as an application writes them', () => {
    const file = readFileSync(join(__dirname, 'plugin-guide.test.ts'), 'utf8')
      .replace(/^\/\/ docs\/plugins\.md shows this file.*\n/, '')
      .replaceAll("from '../../src/index.js'", "from 'utilbot-gateway'")
      .replaceAll("from '../../src/testing/index.js'", "from 'utilbot-gateway/testing'");
    // Prettier may wrap the import lines differently at the two depths: compare without line breaks in imports.
    const normalize = (code: string): string =>
      code.replace(/import \{([^}]*)\}/g, (_all, names: string) => `import {${names.replace(/\s+/g, ' ')}}`);
    expect(normalize(blockAfter('test/examples/plugin-guide.test.ts'))).toBe(normalize(file));
  });

  test('the built-in plugins it names are exported', () => {
    for (const name of ['serverStats', 'logger', 'metrics', 'definePlugin', 'createGatewayClient'])
      expect(typeof (api as Record<string, unknown>)[name]).toBe('function');
  });
});
