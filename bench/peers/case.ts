/**
 * 9. Peers side by side: per ready idle client, ours against the clients users would pick instead
 * (raw ws, @discordjs/ws, graphql-ws, socket.io-client, partysocket), each against a server of its
 * own protocol, in one run on this machine. See docs/performance.md, "Peers side by side".
 *
 * The peers' packages are installed here on first use (install.ts); when that fails (no network),
 * the benchmark reports itself skipped, with npm's reason, in one line. The measuring code imports them,
 * so it is loaded only after the install (side-by-side.ts).
 */
import { log, main } from '../lib/case.js';
import { installPeers, linkPeersIntoBuild } from './install.js';

main(async () => {
  const failure = installPeers(log);
  if (failure !== undefined) {
    return [
      {
        id: '9',
        name: 'peers side by side',
        unit: '',
        ours: Number.NaN,
        baseline: Number.NaN,
        ratio: Number.NaN,
        ratioOf: 'ours/baseline',
        goal: undefined,
        rounds: { ours: [], baseline: [] },
        notes: [],
        skipped: `peer packages not installed: ${failure}`,
      },
    ];
  }
  linkPeersIntoBuild();
  const { sideBySide } = await import('./side-by-side.js');
  return sideBySide();
});
