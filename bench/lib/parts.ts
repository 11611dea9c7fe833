// Which parts of `npm run bench` run: --only and --skip, checked against the parts that exist.

function names(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** All parts, or those named by `only`, minus those named by `skip`; an unknown name is an error. */
export function selectParts<T extends { name: string }>(parts: readonly T[], only: string | undefined, skip: string | undefined): T[] {
  const known = new Set(parts.map((part) => part.name));
  const unknown = [...names(only), ...names(skip)].filter((name) => !known.has(name));
  if (unknown.length > 0) throw new RangeError(`unknown part ${unknown.join(', ')} (parts: ${[...known].join(', ')})`);
  const wanted = names(only);
  const skipped = new Set(names(skip));
  return parts.filter((part) => (wanted.length === 0 || wanted.includes(part.name)) && !skipped.has(part.name));
}
