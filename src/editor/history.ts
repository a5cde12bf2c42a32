/**
 * Undo/redo of immutable snapshots. Every push is one step, except pushes that carry the same `merge`
 * key as the step before them (a slider drag, a run of keystrokes in one field): those replace that
 * step, so the whole gesture undoes at once.
 */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  /** The merge key of the newest step, while another push with that key may still join it. */
  private openMerge: string | null = null;

  constructor(
    private current: T,
    private readonly limit = 200,
  ) {}

  get value(): T {
    return this.current;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Records a new state; it clears what could have been redone. */
  push(next: T, merge?: string): void {
    if (next === this.current) return;
    if (merge === undefined || merge !== this.openMerge || this.past.length === 0) {
      this.past.push(this.current);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.current = next;
    this.future = [];
    this.openMerge = merge ?? null;
  }

  /** Ends a gesture: the next push starts a step of its own even with the same merge key. */
  seal(): void {
    this.openMerge = null;
  }

  /** Replaces the current state without a step (e.g. a state that only the engine changed). */
  replace(next: T): void {
    this.current = next;
  }

  undo(): T {
    this.openMerge = null;
    const previous = this.past.pop();
    if (previous !== undefined) {
      this.future.push(this.current);
      this.current = previous;
    }
    return this.current;
  }

  redo(): T {
    this.openMerge = null;
    const next = this.future.pop();
    if (next !== undefined) {
      this.past.push(this.current);
      this.current = next;
    }
    return this.current;
  }

  /** Starts over from `state` with no history. */
  reset(state: T): void {
    this.past = [];
    this.future = [];
    this.openMerge = null;
    this.current = state;
  }
}
