import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { binaryFrameForm, isZlibHeader } from '../../src/transport/frame-reader.js';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = new TextEncoder();

describe('binaryFrameForm', () => {
  it('tells the three forms apart by their first two and last four bytes', () => {
    expect(binaryFrameForm(bytes())).toBe('raw');
    expect(binaryFrameForm(bytes(0x78))).toBe('raw');
    expect(binaryFrameForm(utf8.encode('{"op":11}'))).toBe('raw');
    expect(binaryFrameForm(bytes(0x78, 0x9c, 1, 2))).toBe('zlib');
    expect(binaryFrameForm(bytes(0, 0, 0xff, 0xff))).toBe('zlib-stream');
    expect(binaryFrameForm(bytes(1, 0, 0xff, 0xff))).toBe('raw');
    // The first message of a stream has both a header and the marker: it is a stream message.
    expect(binaryFrameForm(bytes(0x78, 0x9c, 0, 0, 0xff, 0xff))).toBe('zlib-stream');
  });

  it('knows the headers zlib writes at every level and window size', () => {
    for (let windowBits = 9; windowBits <= 15; windowBits++) {
      for (let level = 0; level <= 9; level++) {
        const [cmf, flg] = zlib.deflateSync('{}', { level, windowBits });
        expect(isZlibHeader(cmf!, flg!)).toBe(true);
      }
    }
    // Right checksum, wrong method (CM=7) or window (CINFO=8).
    expect(isZlibHeader(0x77, 0x09)).toBe(false);
    expect(isZlibHeader(0x88, 0x1c)).toBe(false);
    expect((0x77 * 256 + 0x09) % 31).toBe(0);
    expect((0x88 * 256 + 0x1c) % 31).toBe(0);
  });

  it('reads every complete zlib stream as per-message: Adler-32 never ends in ffff', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 9 }), (data, level) => {
        expect(binaryFrameForm(zlib.deflateSync(data, { level }))).toBe('zlib');
      }),
      { numRuns: 300 },
    );
  });

  it('reads every sync-flushed message as stream form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const flushed = zlib.deflateSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
        expect(binaryFrameForm(flushed)).toBe('zlib-stream');
      }),
      { numRuns: 100 },
    );
  });

  it('reads UTF-8 JSON objects as raw, whatever whitespace or BOM leads them', () => {
    const lead = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\uFEFF');
    fc.assert(
      fc.property(lead, fc.dictionary(fc.string(), fc.jsonValue()), (space, value) => {
        expect(binaryFrameForm(utf8.encode(space + JSON.stringify(value)))).toBe('raw');
      }),
      { numRuns: 200 },
    );
  });
});
