// A tracker of N tasks for the benches, the same on every run: N/100 epics of 5 features each,
// 100 tasks per epic, exactly 2N `blocks` edges between tasks (always from a later task to an
// earlier one, so no cycle; 90% within the epic) and a few feature -> earlier feature edges, counted
// apart. Priorities, done (~20%) and claimed (~5%) tasks come from a seeded generator.

export const TASKS_PER_EPIC = 100;
const FEATURES_PER_EPIC = 5;
const SAME_EPIC_SHARE = 0.9;
const FEATURE_EDGE_SHARE = 0.3; // share of epics with one feature -> earlier feature edge
const DONE_SHARE = 0.2;
const CLAIMED_SHARE = 0.05;

/** mulberry32: a tiny seeded PRNG, floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildData(n, seed) {
  const random = mulberry32(seed);
  const int = (below) => Math.floor(random() * below);
  const base = Date.UTC(2025, 0, 1);
  const at = (seconds) => new Date(base + seconds * 1000).toISOString();
  const now = Date.now();
  const claimedAt = new Date(now - 10 * 60 * 1000).toISOString();
  const expiresAt = new Date(now + 7 * 24 * 3600 * 1000).toISOString(); // live for the whole run

  const epics = Math.ceil(n / TASKS_PER_EPIC);
  const items = [];
  /** Global task index -> id, and each task's epic number. */
  const taskIds = new Array(n);
  const taskEpic = new Int32Array(n);
  const epicFirstTask = new Int32Array(epics + 1);
  const featureIds = [];
  let nextId = 1;
  let clock = 0;
  const counts = { done: 0, claimed: 0, open: 0 };

  const item = (type, title, parent, order, extra = {}) => {
    const id = `sd-${nextId++}`;
    const createdAt = at(clock++);
    items.push({
      id,
      type,
      title,
      description: '',
      status: 'open',
      priority: int(5),
      labels: [],
      parent,
      order,
      mvp: false,
      source: null,
      claim: null,
      notes: [],
      createdAt,
      updatedAt: createdAt,
      closedAt: null,
      ...extra,
    });
    return id;
  };

  let task = 0;
  for (let e = 0; e < epics; e++) {
    const epicId = item('epic', `Epic ${e + 1}: a user-facing capability`, null, e);
    epicFirstTask[e] = task;
    const inEpic = Math.min(TASKS_PER_EPIC, n - task);
    const features = [];
    for (let f = 0; f < FEATURES_PER_EPIC; f++) {
      features.push(item('feature', `Phase ${f + 1} of epic ${e + 1}`, epicId, f));
    }
    featureIds.push(features);
    for (let t = 0; t < inEpic; t++, task++) {
      const feature = features[Math.floor((t * FEATURES_PER_EPIC) / inEpic)];
      const roll = random();
      let extra = {};
      if (roll < DONE_SHARE) {
        extra = { status: 'done', closedAt: at(clock + 3600), updatedAt: at(clock + 3600) };
        counts.done++;
      } else if (roll < DONE_SHARE + CLAIMED_SHARE) {
        extra = {
          status: 'in_progress',
          claim: { actor: `agent-${int(8)}`, claimedAt, expiresAt },
          updatedAt: claimedAt,
        };
        counts.claimed++;
      } else {
        counts.open++;
      }
      taskIds[task] = item(
        'task',
        `Task ${task + 1}: implement part ${t + 1} of epic ${e + 1}`,
        feature,
        t,
        extra,
      );
      taskEpic[task] = e;
    }
  }
  epicFirstTask[epics] = n;

  // Exactly 2N task -> earlier task edges, no duplicates; from a later task, so there is no cycle.
  const dependencies = [];
  const seen = new Set();
  const edge = (from, to) =>
    dependencies.push({ from, to, type: 'blocks', origin: 'user', createdAt: at(clock++) });
  while (dependencies.length < 2 * n) {
    const from = int(n);
    const first = epicFirstTask[taskEpic[from]];
    let to;
    if (random() < SAME_EPIC_SHARE || first === 0) {
      if (from === first) continue;
      to = first + int(from - first);
    } else {
      to = int(first);
    }
    const key = from * n + to;
    if (seen.has(key)) continue;
    seen.add(key);
    edge(taskIds[from], taskIds[to]);
  }
  let featureEdges = 0;
  for (const features of featureIds) {
    if (random() >= FEATURE_EDGE_SHARE) continue;
    const f = 1 + int(FEATURES_PER_EPIC - 1);
    edge(features[f], features[f - 1 - int(f)]);
    featureEdges++;
  }

  const data = { schema: 1, idPrefix: 'sd', nextId, items, dependencies };
  return { data, taskEdges: 2 * n, featureEdges, counts };
}
