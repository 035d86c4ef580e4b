import { execFile } from 'node:child_process';
import { join } from 'node:path';

/**
 * The API reference (`npm run docs:api`: TypeDoc over `utilbot-gateway` and
 * `utilbot-gateway/testing`, configured by typedoc.json) documents every export. TypeDoc runs here
 * with typedoc.json's validation and writes nothing (`--emit none`); its warnings are the findings.
 */

const root = join(__dirname, '../..');

interface TypeDocRun {
  readonly code: number | null;
  /** Every line TypeDoc logged, without colours. */
  readonly lines: readonly string[];
}

function runTypeDoc(): Promise<TypeDocRun> {
  const args = [join(root, 'node_modules/typedoc/bin/typedoc'), '--emit', 'none', '--lang', 'en'];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024, timeout: 90_000 },
      (error, stdout, stderr) => {
        const lines = `${stdout}\n${stderr}`
          // eslint-disable-next-line no-control-regex -- ANSI colour codes, should TypeDoc add them anyway
          .replace(/\u001b\[[0-9;]*m/g, '')
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '');
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, lines });
      },
    );
  });
}

/** `[warning] index.StatusChange.status (Property), defined in utilbot-gateway/src/…, does not have any documentation` */
const notDocumented = /^\[warning\] (.+) \((\w+)\), defined in [^/]+\/(.*), does not have any documentation$/;

let typedoc: TypeDocRun;
beforeAll(async () => {
  typedoc = await runTypeDoc();
}, 90_000);

describe('the API reference (TypeDoc)', () => {
  test('converts both entry points without an error', () => {
    expect(typedoc.lines.filter((line) => line.startsWith('[error]'))).toEqual([]);
    if (typedoc.code !== 0) {
      throw new Error(`typedoc exited with ${String(typedoc.code)}:\n${typedoc.lines.slice(-30).join('\n')}`);
    }
  });

  test('every export, and every member of an exported interface, class or enum, has a doc comment', () => {
    const missing = new Set<string>();
    for (const line of typedoc.lines) {
      const match = notDocumented.exec(line);
      if (match === null) continue;
      const [, name, kind, file] = match as unknown as [string, string, string, string];
      // Members of anonymous types (object literals, types inferred from io-ts codecs or XState)
      // cannot carry a comment where they are declared, and members without a source (mapped
      // types) have nowhere to put one: only named declarations in our files are required.
      if (name.split('.').includes('__type') || file === '') continue;
      missing.add(`${file}: ${name} (${kind})`);
    }
    if (missing.size > 0) {
      throw new Error(
        `${missing.size} declarations of the API have no doc comment. Add a /** … */ above each one, or, if a ` +
          `name says it all, list its name (as printed, \`index.…\` or \`testing.…\`) in typedoc.json's ` +
          `"intentionallyNotDocumented":\n  ` +
          [...missing].sort().join('\n  '),
      );
    }
  });

  test('reports no other problem: no broken {@link}, no type that is used but not exported', () => {
    const others = typedoc.lines.filter(
      (line) =>
        line.startsWith('[warning]') &&
        !notDocumented.test(line) &&
        !/^\[warning\] Found \d+ errors and \d+ warnings$/.test(line) &&
        // A clone without a usable `origin` remote (as here) cannot link sources: not a docs problem.
        !/source links will be broken/i.test(line),
    );
    expect(others).toEqual([]);
  });
});
