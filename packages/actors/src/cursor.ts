/**
 * The flyweight's position: which actor of which page the handler is looking at. One cursor per
 * (thread, kind); the runner moves it, every field view of that kind reads through it.
 */
export class Cursor {
  /** Index of the current actor within its page. */
  o = 0;
  /** Index of the current page. */
  page = 0;
  /** Slot of the first actor of the current page (page × pageSize). */
  base = 0;
}
