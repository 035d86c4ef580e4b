import { cleanUp, client, gateway, KEY, until } from './helpers.js';

afterEach(cleanUp);

/** Everything reachable from `value` as JSON: real cycles marked, repeats kept, Error messages included. */
function text(value: unknown): string {
  const ancestors: unknown[] = [];
  return JSON.stringify(value, function (this: unknown, _key, v: unknown) {
    if (typeof v === 'function') return `[function ${v.name}]`;
    if (typeof v !== 'object' || v === null) return v;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(v)) return '[cycle]';
    ancestors.push(v);
    if (v instanceof Error)
      return { ...Object.fromEntries(Object.entries(v)), message: v.message, stack: v.stack };
    return v;
  });
}

describe('the key is nowhere observable', () => {
  test('not in inspection events, snapshots, input, status reasons, errors or console output', async () => {
    const gw = await gateway({ heartbeatInterval: 100 });
    const inspected: unknown[] = [];
    const printed: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      jest
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' '))),
    );
    try {
      const c = client({
        url: gw.url,
        inspect: (event: unknown) => void inspected.push(event),
        reconnect: { minDelay: 10 },
      });
      c.client.send('send_servers', { guilds: 1, guildMembers: 1, cachedGuildMembers: 1 });
      await c.client.start();
      await new Promise((resolve) => setTimeout(resolve, 250));
      // A reconnect, a fatal error and a bad frame, so reasons and reports exist too.
      // The gateway echoing the key (in bad data, in an error message) must not carry it out either.
      await gw.connections[0]!.sendRaw(`{"op":0,"t":"GLOBAL_GUILD_COUNT","d":{"guilds":"${KEY}"}}`);
      await gw.connections[0]!.sendRaw(`{"op":1,"t":"identify","d":{"type":"bot","key":"${KEY}"}}`);
      const ready = c.next('ready');
      gw.connections[0]!.drop();
      await ready;
      const failed = c.next('failed');
      await gw.connections[1]!.sendError(4001, {
        message: `key ${KEY} expired`,
        errors: [`${KEY} is wrong`],
        data: [null],
      });
      await failed;
      await until(() => c.errors.length >= 2, 2000, 'reports');

      const everything = text({
        inspected,
        snapshot: c.client.actor.getSnapshot(),
        persisted: c.client.actor.getPersistedSnapshot(),
        changes: c.changes,
        errors: c.errors,
        printed,
        machine: c.client.actor.logic.config,
      });
      expect(inspected.length).toBeGreaterThan(10);
      expect(everything).toContain('GLOBAL_GUILD_COUNT');
      expect(everything).not.toContain(KEY);
      // The key did go where it belongs: the identify frame the gateway received.
      expect(gw.connections[0]!.frames.some((f) => f.text.includes(KEY))).toBe(true);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});
