// Plain-text tables for the terminal and bench/README.md: the first column left-aligned,
// figures right-aligned, and a figure that could not be measured shown as a dash.

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const columns = header.length;
  for (const row of rows) {
    if (row.length !== columns) throw new RangeError(`a row has ${row.length} cells, the header ${columns}`);
  }
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

const DASH = '–';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

/** 12,345 */
export function fmtInt(value: number | null | undefined): string {
  return missing(value) ? DASH : Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with a precision that suits their size: 0.42, 7.3, 118. */
export function fmtMs(value: number | null | undefined): string {
  if (missing(value)) return DASH;
  if (value < 1) return value.toFixed(2);
  if (value < 10) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

/** A number with a fixed count of decimals. */
export function fmtFixed(value: number | null | undefined, decimals: number): string {
  return missing(value) ? DASH : value.toFixed(decimals);
}

/** 0.62× */
export function fmtRatio(value: number | null | undefined): string {
  return missing(value) ? DASH : `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×`;
}

/** 12.3 MiB */
export function fmtBytes(value: number | null | undefined): string {
  if (missing(value)) return DASH;
  const abs = Math.abs(value);
  if (abs < 10 * 1024) return `${Math.round(value).toLocaleString('en-US')} B`;
  if (abs < 10 * 1024 * 1024) return `${(value / 1024).toFixed(1)} KiB`;
  return `${(value / 1024 / 1024).toFixed(1)} MiB`;
}
