/** Maps repeated strings (types, accounts, regions, resources) to small integers. */
export class Interner {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  id(value: string): number {
    let n = this.index.get(value);
    if (n === undefined) {
      n = this.values.length;
      this.index.set(value, n);
      this.values.push(value);
    }
    return n;
  }

  get size(): number {
    return this.values.length;
  }
}
