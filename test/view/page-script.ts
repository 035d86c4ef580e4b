/**
 * Makes src/view/page-script.ts: the served page's inline script, which is src/view/page-main.ts
 * (the drawing of draw.ts fed by the view's socket) bundled by esbuild into one classic script.
 * page-script.test.ts checks the committed file is exactly this and rewrites it when asked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '..', '..');

/** The generated module, as committed. */
export const PAGE_SCRIPT_FILE = path.join(root, 'src', 'view', 'page-script.ts');

/** How to write it again. */
export const REGENERATE = 'npm run view:page-script';

/** page-main.ts as one script: an IIFE, ES2020, nothing imported at run time. */
export async function bundlePageScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'src', 'view', 'page-main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    // Its module comments (`// src/view/draw.ts`) name files from here, wherever jest runs.
    absWorkingDir: root,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild wrote no page script');
  return output.text;
}

/** The module page.ts imports: the script as one string, a line per array item (readable diffs). */
export async function pageScriptModule(): Promise<string> {
  const script = await bundlePageScript();
  const lines = script.replace(/\n$/, '').split('\n');
  const source = `/**
 * GENERATED from page-main.ts and draw.ts: do not edit. \`${REGENERATE}\` writes it again;
 * the test fails while it differs from them.
 *
 * Why a committed bundle rather than \`drawSessionView.toString()\` inlined at run time: a function's
 * source text is whatever the last transform made of it — \`__name(...)\` calls from esbuild's
 * keepNames (tsx), helpers a transpiler hoists out of the function, coverage counters — and each
 * breaks the page where it runs while the same code works as a module. A string is served as it is.
 */

/** The served page's inline script: the session view's drawing fed by its WebSocket. */
export const PAGE_SCRIPT = [
${lines.map((line) => `  ${quoted(line)},`).join('\n')}
].join('\\n');
`;
  return source;
}

/**
 * A string literal as prettier writes it here (prettier itself cannot run inside jest: it loads
 * its plugins with a dynamic import): single quotes unless the text has more of them than double.
 */
function quoted(text: string): string {
  const singles = text.split("'").length - 1;
  const doubles = text.split('"').length - 1;
  const quote = singles > doubles ? '"' : "'";
  const escaped = text.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);
  // eslint-disable-next-line no-control-regex -- the very characters a string literal line cannot hold
  if (/[\u0000-\u001f\u2028\u2029]/.test(escaped))
    throw new Error(`a control character in the page script: ${text}`);
  return `${quote}${escaped}${quote}`;
}

/** The committed module, or '' when there is none. */
export function committedPageScript(): string {
  try {
    return readFileSync(PAGE_SCRIPT_FILE, 'utf8');
  } catch {
    return '';
  }
}
