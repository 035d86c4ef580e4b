/**
 * The page's inline script is the drawing every view uses: src/view/page-script.ts must be exactly
 * page-main.ts and draw.ts bundled now (VIEW_PAGE_SCRIPT=write rewrites it).
 */
import { writeFileSync } from 'node:fs';
import { stop as stopEsbuild } from 'esbuild';
import { PAGE_SCRIPT } from '../../src/view/page-script.js';
import {
  bundlePageScript,
  committedPageScript,
  PAGE_SCRIPT_FILE,
  pageScriptModule,
  REGENERATE,
} from './page-script.js';

afterAll(async () => {
  await stopEsbuild();
});

test('src/view/page-script.ts is page-main.ts and draw.ts as they are now', async () => {
  const fresh = await pageScriptModule();
  if (process.env.VIEW_PAGE_SCRIPT === 'write' && fresh !== committedPageScript()) {
    writeFileSync(PAGE_SCRIPT_FILE, fresh);
    console.log(`wrote ${PAGE_SCRIPT_FILE}`);
    return; // This run imported the old one: the next run checks the new one.
  }
  if (committedPageScript() !== fresh)
    throw new Error(`src/view/page-script.ts is stale: run \`${REGENERATE}\``);
  // The module's string is the bundle itself (the quoting lost nothing).
  expect(PAGE_SCRIPT).toBe((await bundlePageScript()).replace(/\n$/, ''));
});

test('the script can sit inside a <script> element and needs nothing from outside', () => {
  // `</script` would end the element early; `<!--` changes how the HTML parser reads script text.
  expect(PAGE_SCRIPT).not.toMatch(/<\/script|<!--/i);
  // One classic script: no module syntax, no loader, no helper from outside the bundle.
  expect(PAGE_SCRIPT).not.toMatch(/^\s*(import|export)\s/m);
  expect(PAGE_SCRIPT).not.toMatch(/\b(require|__name)\(/);
  expect(PAGE_SCRIPT).toContain('utilbot-session-view');
});
