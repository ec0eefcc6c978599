// wrap-ansi 6 (CommonJS, the version @inquirer/core and cli-table3's tree already hold)
// ships no declarations.
declare module 'wrap-ansi' {
  function wrapAnsi(input: string, columns: number, options?: { hard?: boolean; trim?: boolean; wordWrap?: boolean }): string;
  export = wrapAnsi;
}
