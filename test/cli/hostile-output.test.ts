/**
 * `connect` prints what a gateway sends (event names and data as they came): against a gateway that
 * echoes the key, no 8 characters of it reach stdout or stderr, in text or JSON lines, and every
 * printed line stays one line.
 */
import { main } from '../../src/cli/main.js';
import { createLocalGateway, type LocalGateway } from '../../src/testing/index.js';

const KEY = 'cli-Key"With\\Escapes-0123456789abcdefghijklmnopqrstuvwxyzABCDEF';
const fragments = (() => {
  const out = new Set<string>();
  for (const form of [KEY, JSON.stringify(KEY).slice(1, -1)])
    for (let i = 0; i + 8 <= form.length; i++) out.add(form.slice(i, i + 8));
  return [...out];
})();

/** What a terminal acts on instead of showing: controls but tab, DEL, C1, line separators, bidi controls. */
const DRIVES_TERMINAL =
  // eslint-disable-next-line no-control-regex -- control characters are what must not be printed
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let gateway: LocalGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `connect` with `flags` to a fresh local gateway accepting KEY (given as UTILBOT_KEY), its lines recorded. */
async function connectTo(flags: string[]) {
  const gw = await createLocalGateway({ keys: [KEY], heartbeatInterval: 60_000 });
  gateway = gw;
  const out: string[] = [];
  const err: string[] = [];
  const stop = new AbortController();
  const exited = main(
    ['connect', '--url', gw.url, ...flags],
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    stop.signal,
    { UTILBOT_KEY: KEY },
  );
  return { gw, out, err, stop, exited };
}

describe.each([[[]], [['--json']]])('connect %j against a gateway echoing the key', (flags) => {
  test('prints events, errors and reasons without any fragment of the key, one line each', async () => {
    const { gw, out, err, stop, exited } = await connectTo(flags);
    try {
      const conn = await gw.nextConnection();
      await until(() => conn.identified, 'identified');
      await conn.sendRaw(
        `{"op":0,"t":"echo","d":{"key":${JSON.stringify(KEY)},"half":${JSON.stringify(KEY.slice(0, 30))}}}`,
      );
      await conn.sendRaw(`{"op":0,"t":${JSON.stringify(`name ${KEY.slice(10, 40)}\u2028next`)},"d":{}}`);
      await conn.sendRaw(
        `{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":${JSON.stringify(KEY.slice(3, 43))}}}`,
      );
      await conn.sendError(4005, { message: `bad key ${KEY}`, errors: [KEY.slice(5)] });
      await conn.close(4005, KEY.slice(0, 60));
      await until(() => out.some((line) => line.includes('4005')), 'the error printed');
      await until(
        () => out.filter((line) => line.includes('echo') || line.includes('name')).length >= 2,
        'events',
      );
    } finally {
      stop.abort();
    }
    expect(await exited).toBe(0);

    const printed = [...out, ...err];
    expect(printed.join('\n')).toContain('echo');
    for (const line of printed) {
      expect(line).not.toMatch(/[\n\r\v\f\u0085\u2028\u2029]/);
      const leaked = fragments.find((fragment) => line.includes(fragment));
      expect(leaked).toBeUndefined();
    }
  });
});

describe.each([[['--verbose']], [['--json', '--verbose']]])(
  'connect %j against a gateway driving the terminal',
  (flags) => {
    test('no control, format or escape character reaches a printed line, stdout or stderr', async () => {
      const { gw, out, err, stop, exited } = await connectTo(flags);
      // OSC 52 writes the clipboard, ESC [1A ESC [2K erases the line above, U+009B is an 8-bit CSI,
      // U+202E reverses what follows, backspaces and a BEL.
      const drive =
        '\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[1A\u001b[2K\u009b31m\u202egnp.exe\b\b\u0007\u200b\ufe0f\u{e0020}';
      try {
        const conn = await gw.nextConnection();
        await until(() => conn.identified, 'identified');
        await conn.sendRaw(
          `{"op":0,"t":${JSON.stringify(`name ${drive}`)},"d":{"v":${JSON.stringify(drive)}}}`,
        );
        await conn.sendRaw(`not json ${drive}`);
        await conn.sendError(4000, { message: `wrong version ${drive}` });
        await until(() => err.length > 0 || out.some((line) => line.includes('4000')), 'the failure printed');
      } finally {
        stop.abort();
      }
      await exited;
      const printed = [...out, ...err];
      expect(printed.some((line) => line.includes('name'))).toBe(true);
      for (const line of printed) expect(line).not.toMatch(DRIVES_TERMINAL);
    });
  },
);
