import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeMarkdownInline, escapeMermaidLabel, stripTerminalControls } from '../../src/util/sanitize';

// C0 except tab and newline, DEL, C1: none of these may reach a terminal.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const anyText = fc.string({ unit: 'binary', maxLength: 200 });
// Text sprinkled with escape-sequence fragments, which plain random strings rarely contain.
const hostileText = fc
  .array(fc.oneof(fc.constantFrom('\x1b', '\x1b[', '\x1b]', '\x07', '\x1b\\', '\x9b', '\r', '\n', '|', '<', '"', '[', '#'), fc.string()), { maxLength: 30 })
  .map((parts) => parts.join(''));

describe('stripTerminalControls', () => {
  it.each([
    ['colour codes', '\x1b[31mred\x1b[0m plain', 'red plain'],
    ['cursor movement', 'a\x1b[2Kb\x1b[10;20Hc', 'abc'],
    ['window title (OSC, BEL)', '\x1b]0;owned\x07text', 'text'],
    ['hyperlink (OSC, ST)', '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\', 'link'],
    ['8-bit CSI', '\x9b31mred', 'red'],
    ['terminal reset', 'a\x1bcb', 'ab'],
    ['carriage return', 'shown\rhidden', 'shownhidden'],
    ['CRLF keeps the newline', 'a\r\nb', 'a\nb'],
    ['bell', 'ding\x07', 'ding'],
    ['NUL, backspace and DEL', 'a\x00b\x08c\x7fd', 'abcd'],
    ['a lone escape', 'x\x1b', 'x'],
    ['bidi override', 'abc\u202edcba\u202c', 'abcdcba'],
  ])('removes %s', (_name, input, expected) => {
    expect(stripTerminalControls(input)).toBe(expected);
  });

  it.each([
    ['tabs and newlines', 'a\tb\nc'],
    ['accents', 'héllo wörld ñ'],
    ['CJK', '微调 ファインチューニング'],
    ['emoji', 'ok 🎉 👩🏽‍💻'],
    ['punctuation', 'a [b] (c) {d} <e> "f" | g'],
  ])('keeps %s', (_name, input) => {
    expect(stripTerminalControls(input)).toBe(input);
  });

  it('never leaves a control character and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hostileText), (text) => {
        const once = stripTerminalControls(text);
        expect(once).not.toMatch(CONTROL);
        expect(stripTerminalControls(once)).toBe(once);
      }),
    );
  });
});

describe('escapeMarkdownInline', () => {
  it.each([
    ['HTML', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['ampersand', 'AT&T', 'AT&amp;T'],
    ['table pipe', 'a | b', 'a \\| b'],
    ['emphasis', '*bold* and _it_', '\\*bold\\* and \\_it\\_'],
    ['link', '[x](y)', '\\[x\\](y)'],
    ['image', '![x](http://t/p.png)', '!\\[x\\](http://t/p.png)'],
    ['code span', 'use `rm -rf`', 'use \\`rm -rf\\`'],
    ['strikethrough and math', '~~no~~ $x$', '\\~\\~no\\~\\~ \\$x\\$'],
    ['backslash', 'C:\\path', 'C:\\\\path'],
    ['newlines', 'line one\nline two\r\n\nthree', 'line one line two three'],
    ['leading heading', '# Title', '\\# Title'],
    ['leading list marker', '- item', '\\- item'],
    ['leading ordered list', '1. first', '1\\. first'],
    ['terminal escapes', '\x1b[31mred\x1b[0m', 'red'],
    ['plain text', 'LoRA on 7B models', 'LoRA on 7B models'],
    ['hyphen mid-text', 'fine-tune', 'fine-tune'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeMarkdownInline(input)).toBe(expected);
  });

  it('always yields one line without raw HTML or unescaped pipes', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hostileText), (text) => {
        const out = escapeMarkdownInline(text);
        expect(out).not.toMatch(/[\n\r<>]/);
        expect(out).not.toMatch(CONTROL);
        // Every `|` is preceded by an odd number of backslashes, i.e. escaped.
        for (const match of out.matchAll(/(\\*)\|/g)) expect((match[1] ?? '').length % 2).toBe(1);
      }),
    );
  });
});

describe('escapeMermaidLabel', () => {
  it.each([
    ['double quotes', 'say "hi"', 'say #quot;hi#quot;'],
    ['brackets and braces', 'a[b]{c}', 'a(b)(c)'],
    ['HTML', '<b>x</b>', '#lt;b#gt;x#lt;/b#gt;'],
    ['entity lookalikes', '#quot; & #35;', '#35;quot; #amp; #35;35;'],
    ['backticks and pipes', '`md` | x', '#96;md#96; #124; x'],
    ['newlines and controls', 'one\ntwo\x1b[1m!', 'one two!'],
    ['plain text', 'Use LoRA (rank 16)', 'Use LoRA (rank 16)'],
  ])('escapes %s', (_name, input, expected) => {
    expect(escapeMermaidLabel(input)).toBe(expected);
  });

  it('never yields characters that could end or restructure a quoted label', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, hostileText), (text) => {
        const out = escapeMermaidLabel(text);
        expect(out).not.toMatch(/["[\]{}<>`|\n\r]/);
        expect(out).not.toMatch(CONTROL);
        // Every `#` starts one of our entities.
        expect(out.replace(/#(?:quot|amp|lt|gt|\d+);/g, '')).not.toContain('#');
      }),
    );
  });
});
