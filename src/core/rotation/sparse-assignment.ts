import { invalid } from "../errors.js";

/**
 * An assignment problem on a sparse bipartite graph: roles on one side, members on the other, and for
 * each role only the members it may go to (its options), each with an integer gain. Options are stored
 * row by row: role r's options are `optionMember[optionStart[r] .. optionStart[r + 1])`.
 */
export interface SparseAssignmentProblem {
  roleCount: number;
  memberCount: number;
  optionStart: Int32Array;
  optionMember: Int32Array;
  optionGain: Float64Array;
  /** The most roles one member may take. */
  capacity: number;
}

/**
 * Solves the problem optimally: among all plans in which each role goes to at most one member and each
 * member takes at most `capacity` roles, it picks the one that fills the most roles, then (when capacity
 * is above 1) gives the fewest members a second or later role, then has the highest total gain.
 *
 * This is min-cost flow by successive shortest paths with potentials (the Hungarian method on a sparse
 * graph): roles are added one at a time and each takes the cheapest augmenting path found by Dijkstra,
 * which usually ends after a handful of steps, so a large, sparse problem never needs a dense matrix.
 * Leaving a role unfilled is an option of its own with a cost larger than any plan's total, and a
 * member's second slot costs more than any difference in gain, which makes the three aims lexicographic.
 * Returns, per role, the index of its member or -1 for unfilled.
 */
export function solveSparseAssignment(problem: SparseAssignmentProblem): Int32Array {
  const { roleCount, memberCount, optionStart, optionMember, optionGain, capacity } = problem;
  if (!Number.isInteger(capacity) || capacity < 1)
    throw invalid("The load cap is a whole number of at least 1");

  let maxGain = Number.NEGATIVE_INFINITY;
  let minGain = Number.POSITIVE_INFINITY;
  for (const gain of optionGain) {
    if (!Number.isInteger(gain)) throw invalid("Gains must be whole numbers", { gain });
    maxGain = Math.max(maxGain, gain);
    minGain = Math.min(minGain, gain);
  }
  const gainRange = optionGain.length === 0 ? 0 : maxGain - minGain;
  // Costs are gains turned around so they are never negative: every filled role pays for one option, so
  // the shift is the same for plans that fill the same number of roles.
  const cost = (option: number) => maxGain - (optionGain[option] as number);
  const extraSlotCost = capacity > 1 ? roleCount * gainRange + 1 : 0;
  const unfilledCost = roleCount * (gainRange + extraSlotCost) + 1;
  // Distances and potentials stay within a path's worth of edges, each costing at most `unfilledCost`.
  if (!Number.isSafeInteger(unfilledCost * (2 * roleCount + 4)))
    throw invalid("The rotation problem is too large to solve exactly", { roles: roleCount });

  // Nodes: roles 0..R-1, members R..R+M-1, then the sink that every filled or unfilled role flows to.
  const sink = roleCount + memberCount;
  const nodeCount = sink + 1;
  const isMember = (node: number) => node >= roleCount && node < sink;

  const potential = new Float64Array(nodeCount);
  const roleMember = new Int32Array(roleCount).fill(-1);
  const roleOption = new Int32Array(roleCount).fill(-1);
  const memberLoad = new Int32Array(memberCount);
  // The roles a member holds in the plan so far, as a doubly linked list threaded through the roles.
  const firstHeld = new Int32Array(memberCount).fill(-1);
  const nextHeld = new Int32Array(roleCount).fill(-1);
  const prevHeld = new Int32Array(roleCount).fill(-1);

  const distance = new Float64Array(nodeCount).fill(Number.POSITIVE_INFINITY);
  const settled = new Uint8Array(nodeCount);
  const cameFrom = new Int32Array(nodeCount).fill(-1);
  const cameBy = new Int32Array(nodeCount).fill(-1);
  const touched: number[] = [];
  const settledOrder: number[] = [];
  const heap = new NodeHeap();

  const slotCost = (member: number) => {
    const load = memberLoad[member] as number;
    if (load >= capacity) return Number.POSITIVE_INFINITY;
    return load === 0 ? 0 : extraSlotCost;
  };

  const release = (role: number) => {
    const member = roleMember[role] as number;
    if (member < 0) return;
    const prev = prevHeld[role] as number;
    const next = nextHeld[role] as number;
    if (prev >= 0) nextHeld[prev] = next;
    else firstHeld[member] = next;
    if (next >= 0) prevHeld[next] = prev;
    memberLoad[member] = (memberLoad[member] as number) - 1;
    roleMember[role] = -1;
    roleOption[role] = -1;
  };

  const give = (role: number, member: number, option: number) => {
    release(role);
    const head = firstHeld[member] as number;
    prevHeld[role] = -1;
    nextHeld[role] = head;
    if (head >= 0) prevHeld[head] = role;
    firstHeld[member] = role;
    memberLoad[member] = (memberLoad[member] as number) + 1;
    roleMember[role] = member;
    roleOption[role] = option;
  };

  const reach = (node: number, dist: number, from: number, by: number) => {
    if (settled[node] || dist >= (distance[node] as number)) return;
    if (distance[node] === Number.POSITIVE_INFINITY) touched.push(node);
    distance[node] = dist;
    cameFrom[node] = from;
    cameBy[node] = by;
    heap.push(dist, node);
  };

  for (let start = 0; start < roleCount; start++) {
    const first = optionStart[start] as number;
    const end = optionStart[start + 1] as number;
    // A new role has no edge coming in yet, so its potential can be chosen to make its own edges non-negative.
    let startPotential = (potential[sink] as number) - unfilledCost;
    for (let option = first; option < end; option++)
      startPotential = Math.max(
        startPotential,
        (potential[roleCount + (optionMember[option] as number)] as number) - cost(option),
      );
    potential[start] = startPotential;

    reach(start, 0, -1, -1);
    let pathCost = Number.POSITIVE_INFINITY;
    while (heap.size > 0) {
      const node = heap.popNode();
      if (settled[node]) continue;
      settled[node] = 1;
      settledOrder.push(node);
      const dist = distance[node] as number;
      if (node === sink) {
        pathCost = dist;
        break;
      }
      const here = potential[node] as number;
      if (isMember(node)) {
        const member = node - roleCount;
        for (let role = firstHeld[member] as number; role >= 0; role = nextHeld[role] as number) {
          const back = -cost(roleOption[role] as number);
          reach(role, dist + back + here - (potential[role] as number), node, -1);
        }
        const slot = slotCost(member);
        if (slot !== Number.POSITIVE_INFINITY)
          reach(sink, dist + slot + here - (potential[sink] as number), node, -1);
      } else {
        const held = roleOption[node] as number;
        for (let option = optionStart[node] as number; option < (optionStart[node + 1] as number); option++) {
          if (option === held) continue;
          const memberNode = roleCount + (optionMember[option] as number);
          reach(memberNode, dist + cost(option) + here - (potential[memberNode] as number), node, option);
        }
        if (node === start || held >= 0)
          reach(sink, dist + unfilledCost + here - (potential[sink] as number), node, -1);
      }
    }

    // Potentials move by (distance - path cost) on settled nodes, which keeps every reduced cost
    // non-negative without touching the nodes Dijkstra never reached.
    for (const node of settledOrder)
      potential[node] = (potential[node] as number) + (distance[node] as number) - pathCost;

    // Walk the path back from the sink: each member on it is taken by the role before it.
    let node = sink;
    while (node !== start) {
      const from = cameFrom[node] as number;
      if (node === sink) {
        if (!isMember(from)) release(from);
      } else if (isMember(node)) {
        give(from, node - roleCount, cameBy[node] as number);
      }
      node = from;
    }

    for (const visited of touched) {
      distance[visited] = Number.POSITIVE_INFINITY;
      settled[visited] = 0;
    }
    touched.length = 0;
    settledOrder.length = 0;
    heap.clear();
  }
  return roleMember;
}

/** A binary min-heap of (distance, node); equal distances come out by node index, so runs repeat exactly. */
class NodeHeap {
  private keys = new Float64Array(1024);
  private nodes = new Int32Array(1024);
  size = 0;

  push(key: number, node: number) {
    if (this.size === this.keys.length) this.grow();
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentKey = this.keys[parent] as number;
      const parentNode = this.nodes[parent] as number;
      if (!comesBefore(key, node, parentKey, parentNode)) break;
      this.keys[at] = parentKey;
      this.nodes[at] = parentNode;
      at = parent;
    }
    this.keys[at] = key;
    this.nodes[at] = node;
  }

  popNode(): number {
    const top = this.nodes[0] as number;
    const last = --this.size;
    const key = this.keys[last] as number;
    const node = this.nodes[last] as number;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= last) break;
      let childKey = this.keys[child] as number;
      let childNode = this.nodes[child] as number;
      if (child + 1 < last) {
        const rightKey = this.keys[child + 1] as number;
        const rightNode = this.nodes[child + 1] as number;
        if (comesBefore(rightKey, rightNode, childKey, childNode)) {
          child++;
          childKey = rightKey;
          childNode = rightNode;
        }
      }
      if (!comesBefore(childKey, childNode, key, node)) break;
      this.keys[at] = childKey;
      this.nodes[at] = childNode;
      at = child;
    }
    this.keys[at] = key;
    this.nodes[at] = node;
    return top;
  }

  clear() {
    this.size = 0;
  }

  private grow() {
    const keys = new Float64Array(this.keys.length * 2);
    const nodes = new Int32Array(this.nodes.length * 2);
    keys.set(this.keys);
    nodes.set(this.nodes);
    this.keys = keys;
    this.nodes = nodes;
  }
}

const comesBefore = (key: number, node: number, otherKey: number, otherNode: number) =>
  key < otherKey || (key === otherKey && node < otherNode);
