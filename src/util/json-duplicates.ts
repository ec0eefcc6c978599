// JSON.parse keeps the last of two equal keys without a word; an answers document must not
// (a typo'd duplicate would silently change a verdict). For a whole file safe-yaml.ts walks
// the text; for JSON Lines, tens of thousands of lines a second, this quick test comes
// first: every `:` outside strings separates one key from its value, so the text has more
// of them than the parsed value has keys exactly when a key was repeated in some object.

/** Whether JSON text (already accepted by JSON.parse as `value`) repeats a key within an object. */
export function hasDuplicateKeys(text: string, value: unknown): boolean {
  const keys = keyCount(value);
  // Every key has a colon outside strings, so the text has at least as many colons as the
  // value has keys. When all the colons are that many, none is inside a string and none
  // is left for a repeated key: no walk through the strings is needed. (indexOf finds the
  // next colon natively, several times faster than a loop over the characters.)
  if (colonsUpTo(text, keys + 1) === keys) return false;
  return colonsOutsideStrings(text) !== keys;
}

/** The colons in `text`, counting no further than `limit`. */
function colonsUpTo(text: string, limit: number): number {
  let colons = 0;
  for (let i = text.indexOf(':'); i !== -1 && colons < limit; i = text.indexOf(':', i + 1)) colons++;
  return colons;
}

function colonsOutsideStrings(text: string): number {
  let colons = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a) colons++;
    else if (c === 0x22) {
      // Skip the string: to the next quote not escaped by an odd run of backslashes.
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i === -1) return colons;
        let backslashes = 0;
        while (text.charCodeAt(i - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
      }
    }
  }
  return colons;
}

/** Keys in every object of a parsed value. A loop, not recursion: a line may nest thousands deep. */
function keyCount(root: unknown): number {
  let n = 0;
  const stack: unknown[] = [root];
  while (stack.length) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== null && typeof v === 'object') stack.push(v);
      continue;
    }
    for (const key in value) {
      n++;
      const v = (value as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
  return n;
}
