// The engine writes its explanations in ASCII (`->`, ` - `, ` x `) so JSON output stays
// plain wherever it is read (and one-byte strings, which are quicker to write). People
// reading a terminal or a rendered report get the typographic signs back.

/** `a -> b` as `a → b`. */
export function arrows(text: string): string {
  return text.includes(' -> ') ? text.replaceAll(' -> ', ' → ') : text;
}

/** A worked formula: arrows, and ` x ` and ` - ` as the times and minus signs. */
export function formula(text: string): string {
  return arrows(text).replaceAll(' x ', ' × ').replaceAll(' - ', ' − ');
}
