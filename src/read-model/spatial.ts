// The points of a kdbush index inside a box, by their position in the index's own kd order rather than
// by id: what is stored by position (the index's coordinates, and arrays laid out the same way) is then
// read nearly in order, where reading by id jumps about memory for every point.
import type KDBush from 'kdbush';

const stack: number[] = [];

/**
 * The positions (0 … numItems − 1 in `index.ids` and `index.coords` order) of the points inside the box,
 * edges included: kdbush's own `range` (same walk, same tests), giving positions where it gives ids.
 */
export function positionsInBox(
  index: KDBush,
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
): number[] {
  const { ids, coords, nodeSize } = index;
  const result: number[] = [];
  stack.length = 0;
  stack.push(0, ids.length - 1, 0);
  while (stack.length > 0) {
    const axis = stack.pop() as number;
    const right = stack.pop() as number;
    const left = stack.pop() as number;
    if (right - left <= nodeSize) {
      for (let i = left; i <= right; i++) {
        const x = coords[2 * i] as number;
        const y = coords[2 * i + 1] as number;
        if (x >= minX && x <= maxX && y >= minY && y <= maxY) result.push(i);
      }
      continue;
    }
    const m = (left + right) >> 1;
    const x = coords[2 * m] as number;
    const y = coords[2 * m + 1] as number;
    if (x >= minX && x <= maxX && y >= minY && y <= maxY) result.push(m);
    if (axis === 0 ? minX <= x : minY <= y) stack.push(left, m - 1, 1 - axis);
    if (axis === 0 ? maxX >= x : maxY >= y) stack.push(m + 1, right, 1 - axis);
  }
  return result;
}
