import { cutLine, oneLine, printable } from '../../src/errors/one-line.js';

describe('one printable line', () => {
  test('what drives a terminal is escaped; what text needs to show right is kept', () => {
    expect(printable('a\u001b[2Jb\u0007c\u009b31m\u202eexe.txt\u2066d')).toBe(
      'a\\u001b[2Jb\\u0007c\\u009b31m\\u202eexe.txt\\u2066d',
    );
    // Emoji sequences (ZWJ, variation selector, tags), Persian's zero-width non-joiner, tab.
    const kept = '👨\u200d👩\u200d👧 ❤\ufe0f 🏴\u{e0067}\u{e0062}\u{e007f} می\u200cخواهم\tend';
    expect(printable(kept)).toBe(kept);
    expect(oneLine('one\r\ntwo\u2028three \u0085 four')).toBe('one two three four');
  });

  test('a cut never splits an escape, a mask or a surrogate pair', () => {
    const clean = (text: string) => oneLine(text);
    expect(cutLine(`${'x'.repeat(8)}\u0007${'y'.repeat(50)}`, 10, clean)).toBe('xxxxxxxx… (59 characters)');
    expect(cutLine(`${'x'.repeat(9)}😀${'y'.repeat(50)}`, 10, clean)).toBe('xxxxxxxxx… (61 characters)');
    expect(cutLine(`${'x'.repeat(7)}[key]${'y'.repeat(50)}`, 10, clean)).toBe('xxxxxxx… (62 characters)');
    expect(cutLine('short', 10, clean)).toBe('short');
  });
});
