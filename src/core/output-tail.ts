/**
 * The last lines of a command's output, kept bounded however much it prints:
 * a failed `--check` shows them in its event and verdict (deploys.md
 * "Guardrails": "with the command's last lines of output in the event").
 *
 * @example
 *   const tail = new OutputTail(5);
 *   tail.push('a\nb\n'); tail.push('c');
 *   tail.lines() // ['a', 'b', 'c']
 */
export class OutputTail {
  private done: string[] = [];
  private partial = '';

  /** `maxLines` lines of at most `maxLineChars` characters each (longer lines are cut, with an ellipsis). */
  constructor(
    private readonly maxLines = 20,
    private readonly maxLineChars = 500,
  ) {}

  push(chunk: string): void {
    const parts = (this.partial + chunk).split(/\r?\n/);
    this.partial = this.cut(parts.pop() ?? '');
    for (const line of parts) this.done.push(this.cut(line));
    if (this.done.length > this.maxLines) this.done.splice(0, this.done.length - this.maxLines);
  }

  /** The last lines, the unterminated one included; trailing blank lines dropped. */
  lines(): string[] {
    const all = this.partial === '' ? [...this.done] : [...this.done, this.partial];
    while (all.length > 0 && all[all.length - 1]!.trim() === '') all.pop();
    return all.slice(-this.maxLines);
  }

  private cut(line: string): string {
    // Keep the partial line bounded too, so a command printing without newlines cannot grow it.
    return line.length > this.maxLineChars ? `${line.slice(0, this.maxLineChars - 1)}…` : line;
  }
}
