// Text from answers and rules files ends up in terminals, Markdown reports and Mermaid
// diagrams. Each target has its own way to be abused (escape sequences that retitle the
// terminal or hide text, Markdown links and HTML, Mermaid syntax), so each gets a helper.

// CSI: ESC [ (or 8-bit 0x9B), parameters, intermediates, one final byte. Colours, cursor moves.
const CSI = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]/g;
// OSC, DCS, SOS, PM, APC: a string ended by BEL or ST. OSC can set the window title, write
// hyperlinks or, on some terminals, the clipboard.
const STRING_COMMAND = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)/g;
// Any other escape: ESC, optional intermediates, a final byte (e.g. ESC c resets the terminal).
const OTHER_ESCAPE = /\x1b[ -/]*[0-~]/g;
// C0 except tab and newline, DEL, C1.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Bidirectional embedding/override/isolate marks can make a terminal show text in a different
// order than it is stored ("Trojan Source"), so they go too.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/g;

/** Removes escape sequences and control characters, keeping `\n`, `\t` and printable Unicode. */
export function stripTerminalControls(text: string): string {
  return text.replace(STRING_COMMAND, '').replace(CSI, '').replace(OTHER_ESCAPE, '').replace(CONTROL, '').replace(BIDI_CONTROL, '');
}

// Characters that can start inline Markdown (emphasis, code, links, strikethrough, math), the
// escape character itself, and `|`, which would end a table cell.
const MARKDOWN_INLINE = /[\\`*_[\]~|$]/g;
const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Makes text safe to place inline in Markdown, including inside a table cell: no HTML, no
 * formatting, links or images, and on one line.
 */
export function escapeMarkdownInline(text: string): string {
  const oneLine = stripTerminalControls(text).replace(/\s+/g, ' ').trim();
  const escaped = oneLine.replace(/[&<>]/g, (c) => HTML[c] ?? c).replace(MARKDOWN_INLINE, (c) => `\\${c}`);
  // Headings, list markers and setext underlines only count at the start of a line, which is
  // where the caller may well put this text; escaping them everywhere would just add noise.
  return escaped.replace(/^([#+=-])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
}

// Mermaid decodes `#name;` and `#123;` entities inside labels, so `#` itself must be encoded
// too or user text could form one.
const MERMAID_ENTITIES: Readonly<Record<string, string>> = {
  '#': '#35;',
  '"': '#quot;',
  '&': '#amp;',
  '<': '#lt;',
  '>': '#gt;',
  '`': '#96;',
  '|': '#124;',
};

/**
 * Makes text safe inside a double-quoted Mermaid node label (`A["…"]`): one line, quotes and
 * HTML as Mermaid entities, square and curly brackets turned into parentheses, which quoted
 * labels render literally.
 */
export function escapeMermaidLabel(text: string): string {
  return stripTerminalControls(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[#"&<>`|]/g, (c) => MERMAID_ENTITIES[c] ?? '')
    .replace(/[[{]/g, '(')
    .replace(/[\]}]/g, ')');
}

// What stripTerminalControls removes starts with one of these characters.
const NEEDS_STRIPPING = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/**
 * `value` with stripTerminalControls applied to every string in it, at any depth: a report
 * or a rule set about to be rendered for a terminal or a Markdown file, whatever route its
 * texts took (rule-set texts, values put into their templates, answers). Objects and arrays
 * are copied only where something changed, so clean input costs one scan of its strings.
 */
export function stripControlsDeep<T>(value: T): T {
  if (typeof value === 'string') return (NEEDS_STRIPPING.test(value) ? stripTerminalControls(value) : value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      const clean = stripControlsDeep(items[i]);
      if (clean !== items[i]) (out ??= items.slice())[i] = clean;
    }
    return (out ?? value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const clean = stripControlsDeep(item);
    if (clean !== item) (out ??= { ...(value as Record<string, unknown>) })[key] = clean;
  }
  return (out ?? value) as T;
}
