import { describe, expect, it } from 'vitest';
import { History } from '../../src/editor/history';

describe('History', () => {
  it('undoes and redoes ten mixed steps back to exactly the same states', () => {
    const history = new History({ n: 0 });
    const states = [history.value];
    for (let i = 1; i <= 10; i++) {
      const next = { n: i };
      history.push(next);
      states.push(next);
    }
    for (let i = 9; i >= 0; i--) expect(history.undo()).toBe(states[i]);
    expect(history.canUndo).toBe(false);
    expect(history.undo()).toBe(states[0]);
    for (let i = 1; i <= 10; i++) expect(history.redo()).toBe(states[i]);
    expect(history.canRedo).toBe(false);
  });

  it('drops what could be redone when a new step is made, and ignores pushing the same state', () => {
    const history = new History('a');
    history.push('b');
    history.push('c');
    history.undo();
    history.push('d');
    expect(history.canRedo).toBe(false);
    expect(history.undo()).toBe('b');
    history.push('b');
    expect(history.undo()).toBe('a');
  });

  it('keeps at most `limit` steps and can be reset', () => {
    const history = new History(0, 3);
    for (let i = 1; i <= 10; i++) history.push(i);
    expect([history.undo(), history.undo(), history.undo(), history.undo()]).toEqual([9, 8, 7, 7]);
    history.reset(42);
    expect(history.canUndo || history.canRedo).toBe(false);
    expect(history.value).toBe(42);
  });
});
