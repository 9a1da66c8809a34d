/**
 * A very small SVG writer: elements as strings with escaped attributes and
 * text. The report's chart is a handful of paths, lines and labels; a chart
 * library (and its size, its script, its fonts) would not make it clearer, and
 * the file must stay self-contained and work with no network.
 */
export type Attributes = Record<string, string | number | undefined | false>;

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text and attribute values for XML and HTML alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Numbers with at most two decimals, so paths stay short and stable. */
export function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

/**
 * One element; `children` are already-rendered markup (use `text()` for text).
 *
 * @example
 *   el('line', { x1: 0, y1: 0, x2: 10, y2: 0, class: 'floor' })  // '<line x1="0" y1="0" x2="10" y2="0" class="floor"/>'
 */
export function el(name: string, attributes: Attributes = {}, children: readonly string[] | string = []): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined && v !== false)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? num(v) : String(v))}"`)
    .join('');
  const inner = typeof children === 'string' ? children : children.join('');
  return inner ? `<${name}${attrs}>${inner}</${name}>` : `<${name}${attrs}/>`;
}

export function text(value: string): string {
  return escapeXml(value);
}
