/**
 * CPU profiles of the measured part only: with `--cpu-profile=DIR`, a benchmark wraps each of its
 * measured sections of ours in `profiled()`, which records it with the in-process inspector
 * (100 µs sampling) into DIR/NAME.cpuprofile. Start-up, connecting and teardown stay out, unlike
 * with `node --cpu-prof`. Without the flag, `profiled()` just runs the section.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

const dir = process.argv.find((a) => a.startsWith('--cpu-profile='))?.slice('--cpu-profile='.length);
let session: Session | undefined;

export const profiling = dir !== undefined;

export async function profiled<T>(name: string, section: () => Promise<T>): Promise<T> {
  if (dir === undefined) return section();
  if (session === undefined) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
  }
  await session.post('Profiler.start');
  try {
    return await section();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
}
