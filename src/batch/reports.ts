// Text and Markdown batches: each report rendered as it comes, with its input's label.
/** Each report is a document of its own; inside the portfolio its headings go one level down. */
export function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

