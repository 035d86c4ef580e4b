/**
 * `client.on` and `client.events` are typed by the event map, as plugin handlers are: a known
 * name gives its codec's data type, any other name (and `'*'`) `unknown` data. Checked by tsc (root
 * tsconfig); never run.
 */
import { createGatewayClient, type GatewayEvent, type GlobalGuildCountData } from '../../src/index.js';
import { expectTrue, type Equal } from './assert.js';

const client = createGatewayClient({ identify: { type: 'bot', key: 'k' } });

export function onIsTyped(): void {
  const _off = client.on('GLOBAL_GUILD_COUNT', (_data, _name) => {
    expectTrue<Equal<typeof _data, GlobalGuildCountData>>();
    expectTrue<Equal<typeof _name, 'GLOBAL_GUILD_COUNT'>>();
  });
  expectTrue<Equal<typeof _off, () => void>>();
  client.on('*', (_data, _name) => {
    expectTrue<Equal<typeof _data, unknown>>();
    expectTrue<Equal<typeof _name, string>>();
  });
  client.on('something_new', (_data) => {
    expectTrue<Equal<typeof _data, unknown>>();
  });
  // @ts-expect-error a GLOBAL_GUILD_COUNT handler does not take a string
  client.on('GLOBAL_GUILD_COUNT', (data: string) => data);
}

export async function eventsAreTyped(): Promise<void> {
  for await (const _event of client.events('GLOBAL_GUILD_COUNT', { buffer: 10 })) {
    expectTrue<Equal<typeof _event, GatewayEvent<'GLOBAL_GUILD_COUNT', GlobalGuildCountData>>>();
    expectTrue<Equal<typeof _event.data.guilds, number>>();
  }
  for await (const _event of client.events()) {
    expectTrue<Equal<typeof _event.data, unknown>>();
  }
  // @ts-expect-error buffer is a number
  client.events('*', { buffer: '10' });
}
