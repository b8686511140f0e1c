/**
 * `a.push(…)` and `a.pop()` as graph-form code calls them (see converters/lists.ts). On a JS array
 * (or any object) they make exactly the call and return the same list. While tracing inside staged
 * control flow, a JS array is not mutated: the push returns a new array (the branch or iteration
 * being traced must not change the list other branches and iterations start from), and a staged list
 * (a JS array that staged control flow carries) gets its rows appended.
 */
import { insideStagedRegion, isStagedList, popStaged, pushStaged } from '../staging/lists.ts';

/** `list.push(...items)`; returns the list (a new one where staging cannot mutate it). */
export function listPush(list: any, ...items: unknown[]): any {
  if (isStagedList(list)) return pushStaged(list, items);
  if (Array.isArray(list) && insideStagedRegion()) return [...list, ...items];
  list.push(...items);
  return list;
}

/** `list.pop()`: `[the list, the popped element]`. */
export function listPop(list: any): [any, unknown] {
  if (isStagedList(list)) return popStaged(list);
  if (Array.isArray(list) && insideStagedRegion()) return [list.slice(0, -1), list.at(-1)];
  const popped = list.pop();
  return [list, popped];
}
