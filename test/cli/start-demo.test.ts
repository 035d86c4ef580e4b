/**
 * `npm start` (the `start` command without --url) shows the machine at work on the embedded
 * gateway: heartbeats with their latency, GLOBAL_GUILD_COUNT as the demo bot reports, and an
 * announced drop with the reconnect after it. Real sockets throughout.
 */
import { createGatewayClient } from '../../src/index.js';
import { runDemo } from '../../src/cli/demo.js';
import { main } from '../../src/cli/main.js';
import { createLocalGateway } from '../../src/testing/index.js';

describe('the start demo', () => {
  test('start --verbose prints heartbeats with latency, events and the trace; Ctrl-C exits 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const stop = new AbortController();
    const exited = main(
      ['start', '--verbose'],
      { out: (l) => out.push(l), err: (l) => err.push(l) },
      stop.signal,
    );
    const deadline = Date.now() + 5000;
    while (!out.some((line) => line.includes('heartbeat acknowledged in')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort();
    expect(await exited).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/heartbeat acknowledged in \d+\.\d ms/);
    expect(text).toContain('event GLOBAL_GUILD_COUNT');
    expect(text).toContain('debug → {"op":10}');
    expect(text).toContain('debug → {"op":1,"t":"identify"} (the key is not shown)');
    // A heartbeat is one line, not two status changes (the debug trace still shows every change).
    expect(out.filter((line) => !line.includes(' debug ')).join('\n')).not.toContain('heartbeat-pending');
    expect(text).not.toContain('demo-key"');
    expect(err).toEqual([]);
  }, 10_000);

  test('the demo announces a drop, the gateway drops the session, the client reconnects and reports again', async () => {
    const gateway = await createLocalGateway({ keys: ['demo'], heartbeatInterval: 60_000 });
    const client = createGatewayClient({
      url: gateway.url,
      identify: { type: 'bot', key: 'demo' },
      reconnect: { minDelay: 20, jitter: 0 },
      onError: () => undefined,
    });
    const said: string[] = [];
    const statuses: string[] = [];
    const guilds: number[] = [];
    client.subscribe((change) => statuses.push(change.status));
    client.on('GLOBAL_GUILD_COUNT', (data) => guilds.push(data.guilds));
    const stopDemo = runDemo(client, gateway, (_kind, text) => said.push(text), {
      reportEvery: 30,
      announceAfter: 100,
      dropAfter: 50,
    });
    try {
      await client.start();
      const deadline = Date.now() + 3000;
      while (statuses.filter((s) => s === 'ready').length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      stopDemo();
      await client.stop();
      await gateway.close();
    }
    expect(said).toEqual(['in 0.05 s the gateway drops this session: watch the client reconnect']);
    expect(statuses).toEqual(expect.arrayContaining(['ready', 'reconnecting']));
    expect(statuses.filter((s) => s === 'ready').length).toBeGreaterThanOrEqual(2);
    expect(gateway.connectionCount).toBe(2);
    // The demo bot's numbers change with each report, and the gateway's sum follows.
    expect(new Set(guilds).size).toBeGreaterThan(2);
  });
});
