/**
 * Replaces known keys in text that leaves the client (log lines, error messages). The first line of
 * defence is that the key never reaches those places; this is the second.
 */
export interface KeyRedactor {
  /** Remembers a key the client identified with (at most a few are kept: keys rotate). */
  remember(key: string): void;
  /** `text` with every remembered key replaced by `[key]`. */
  redact(text: string): string;
}

/** A {@link KeyRedactor} keeping the last `keep` keys. */
export function createKeyRedactor(keep = 4): KeyRedactor {
  const keys: string[] = [];
  return {
    remember(key) {
      if (key === '' || keys.includes(key)) return;
      keys.push(key);
      if (keys.length > keep) keys.shift();
    },
    redact(text) {
      let out = text;
      for (const key of keys) if (out.includes(key)) out = out.split(key).join('[key]');
      return out;
    },
  };
}
