/**
 * The arithmetic part of CloudWatch metric math, for GetMetricData expressions
 * such as `m1 / m2 * 100` or `(m1 + m2) / 2`: numbers, query ids, + - * /,
 * parentheses. Two series combine where both have a timestamp; a number
 * applies to every point ("Using metric math",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html).
 * Functions (SUM, METRICS(), …) are refused with a clear message.
 */
import { AwsError } from '../../aws-error.js';

type Series = [number, number][];
type Operand = { kind: 'number'; value: number } | { kind: 'series'; points: Series };

export function evaluateExpression(expression: string, byId: ReadonlyMap<string, Series>, queryId: string): Series {
  const tokens = expression.match(/\s*([A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/()])\s*/g)?.map((t) => t.trim());
  if (!tokens || tokens.join('') !== expression.replace(/\s+/g, '')) {
    throw new AwsError('ValidationError', `Query ${queryId}: the emulator evaluates arithmetic expressions only (ids, numbers, + - * / and parentheses): ${expression}`);
  }
  let i = 0;
  const fail = (why: string): never => {
    throw new AwsError('ValidationError', `Query ${queryId}: ${why} in expression ${expression}`);
  };
  const combine = (a: Operand, b: Operand, op: string): Operand => {
    const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
    if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', value: f(a.value, b.value) };
    if (a.kind === 'series' && b.kind === 'number') return { kind: 'series', points: a.points.map(([t, v]) => [t, f(v, b.value)]) };
    if (a.kind === 'number' && b.kind === 'series') return { kind: 'series', points: b.points.map(([t, v]) => [t, f(a.value, v)]) };
    const right = new Map((b as { points: Series }).points);
    const points: Series = [];
    for (const [t, v] of (a as { points: Series }).points) if (right.has(t)) points.push([t, f(v, right.get(t)!)]);
    return { kind: 'series', points };
  };
  const primary = (): Operand => {
    const t = tokens[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const inner = sum();
      if (tokens[i++] !== ')') fail('missing )');
      return inner;
    }
    if (t === '-') return combine({ kind: 'number', value: -1 }, primary(), '*');
    if (/^\d/.test(t)) return { kind: 'number', value: Number(t) };
    if (tokens[i] === '(') return fail(`function ${t} is not supported by the emulator`);
    const points = byId.get(t);
    if (!points) return fail(`unknown id ${t}`);
    return { kind: 'series', points };
  };
  const product = (): Operand => {
    let left = primary();
    while (tokens[i] === '*' || tokens[i] === '/') {
      const op = tokens[i++]!;
      left = combine(left, primary(), op);
    }
    return left;
  };
  const sum = (): Operand => {
    let left = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++]!;
      left = combine(left, product(), op);
    }
    return left;
  };
  const result = sum();
  if (i !== tokens.length) fail(`unexpected ${tokens[i]}`);
  return result.kind === 'series' ? result.points.filter(([, v]) => Number.isFinite(v)) : [];
}
