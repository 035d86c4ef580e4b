/**
 * `npm start` embeds a local gateway that any local process can connect to while the demo runs:
 * like `serve`, it must not keep what those clients send. The gateway the command builds is
 * captured here (the real one, only watched) so the test can look at what it holds.
 */
import type { LocalGateway, LocalGatewayOptions } from '../../src/testing/index.js';
import { main } from '../../src/cli/main.js';
import { connect, within } from './helpers.js';

const built: LocalGateway[] = [];

jest.mock('../../src/testing/index.js', () => {
  const actual = jest.requireActual<typeof import('../../src/testing/index.js')>(
    '../../src/testing/index.js',
  );
  return {
    ...actual,
    createLocalGateway: async (options?: LocalGatewayOptions) => {
      const gateway = await actual.createLocalGateway(options);
      built.push(gateway);
      return gateway;
    },
  };
});

test('the start demo keeps no frame a client sent and forgets closed connections', async () => {
  const out: string[] = [];
  const stop = new AbortController();
  let listening: (line: string) => void = () => undefined;
  const printed = new Promise<string>((resolve) => (listening = resolve));
  const exited = main(
    ['start'],
    {
      out: (line) => {
        out.push(line);
        if (line.includes('local gateway listening on')) listening(line);
      },
      err: () => undefined,
    },
    stop.signal,
  );
  try {
    const url = /ws:\/\/127\.0\.0\.1:\d+/.exec(await within(printed, 5_000, 'the demo gateway'))![0];
    expect(built).toHaveLength(1);
    const gateway = built[0]!;

    const big = 'x'.repeat(100_000);
    const first = connect(`${url}/?v=1&probe=1`);
    await first.next();
    for (let n = 1; n <= 30; n++) first.send({ op: 1, t: 'numbered', d: { n, big } });
    first.heartbeat();
    expect(await first.next()).toEqual({ op: 11 });
    const mine = gateway.connections.find((c) => c.query.has('probe'))!;
    expect(mine.frames).toEqual([]);
    // Nothing is held for a nextFrame() nobody calls either.
    await expect(mine.nextFrame(10)).rejects.toThrow(/31 frames were dropped/);

    first.ws.close();
    await mine.closed;
    expect(gateway.connections).not.toContain(mine);
  } finally {
    stop.abort();
    expect(await exited).toBe(0);
  }
});
