import { Observable, type MonoTypeOperatorFunction } from 'rxjs';

/**
 * Passes every important value at once but at most one intermediate value per `ms` (the latest one
 * is delivered at the end of the window), so a fast stream of partial results never floods
 * downstream nodes or the main thread. An important value drops any held intermediate one.
 */
export function throttleIntermediate<T>(
  ms: number,
  isIntermediate: (value: T) => boolean,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let lastSent = -Infinity;
      let held: { value: T } | null = null;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const clearTimer = () => {
        if (timer !== null) clearTimeout(timer);
        timer = null;
      };
      const flush = () => {
        timer = null;
        if (!held) return;
        const { value } = held;
        held = null;
        lastSent = performance.now();
        subscriber.next(value);
      };
      const subscription = source.subscribe({
        next(value) {
          if (!isIntermediate(value)) {
            clearTimer();
            held = null;
            subscriber.next(value);
            return;
          }
          const wait = lastSent + ms - performance.now();
          if (wait <= 0 && timer === null) {
            lastSent = performance.now();
            subscriber.next(value);
          } else {
            held = { value };
            timer ??= setTimeout(flush, Math.max(0, wait));
          }
        },
        error: (error) => subscriber.error(error),
        complete() {
          if (timer !== null) {
            clearTimer();
            flush();
          }
          subscriber.complete();
        },
      });
      return () => {
        clearTimer();
        subscription.unsubscribe();
      };
    });
}
