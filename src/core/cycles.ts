// Finds dependency cycles that would leave work stuck forever. Containment counts: a task cannot start
// before its feature's blockers finish, and a feature finishes only when its tasks do. So each item is
// two nodes, start(x) and finish(x), with edges "must wait for":
//   start(x)  -> finish(b)       for each blocker b of x
//   start(x)  -> start(parent)   a child starts only once its parent may start
//   finish(x) -> start(x)
//   finish(x) -> finish(child)   a container finishes when its children do
// A cycle in this graph is work that can never become ready.

import type { TrackerIndex } from './graph.js';

const START = 0;
const FINISH = 1;
type Node = number; // item ordinal * 2 + START|FINISH

export class WaitGraph {
  private readonly ids: string[];
  private readonly ordinal = new Map<string, number>();

  constructor(private readonly index: TrackerIndex) {
    this.ids = [...index.byId.keys()];
    for (const [i, id] of this.ids.entries()) this.ordinal.set(id, i);
  }

  private successors(node: Node): Node[] {
    const id = this.ids[node >> 1]!;
    const out: Node[] = [];
    if ((node & 1) === START) {
      for (const blocker of this.index.blockersOf(id)) {
        const o = this.ordinal.get(blocker);
        if (o !== undefined) out.push(o * 2 + FINISH);
      }
      const parent = this.index.get(id)?.parent;
      const p = parent ? this.ordinal.get(parent) : undefined;
      if (p !== undefined) out.push(p * 2 + START);
    } else {
      out.push(node - FINISH + START);
      for (const child of this.index.childrenOf(id)) out.push(this.ordinal.get(child.id)! * 2 + FINISH);
    }
    return out;
  }

  /** A cycle anywhere in the graph, as the item ids along it (first id repeated at the end), or null. */
  findAnyCycle(): string[] | null {
    const state = new Uint8Array(this.ids.length * 2); // 0 new, 1 on stack, 2 done
    for (let root = 0; root < state.length; root++) {
      if (state[root] !== 0) continue;
      const cycle = this.walk(root, state);
      if (cycle) return cycle;
    }
    return null;
  }

  // Iterative DFS (a recursive one overflows the stack on long chains of tasks).
  private walk(root: Node, state: Uint8Array): string[] | null {
    const stack: Node[] = [root];
    const iters: number[] = [0];
    const succ: Node[][] = [this.successors(root)];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack.length - 1;
      const next = succ[top]![iters[top]!++];
      if (next === undefined) {
        state[stack[top]!] = 2;
        stack.pop();
        iters.pop();
        succ.pop();
        continue;
      }
      if (state[next] === 1) {
        return this.itemPath([...stack.slice(stack.indexOf(next)), next]);
      }
      if (state[next] !== 0) continue;
      state[next] = 1;
      stack.push(next);
      iters.push(0);
      succ.push(this.successors(next));
    }
    return null;
  }

  private itemPath(nodes: Node[]): string[] {
    const path: string[] = [];
    for (const node of nodes) {
      const id = this.ids[node >> 1]!;
      if (path[path.length - 1] !== id) path.push(id);
    }
    return path;
  }
}
