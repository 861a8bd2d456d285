// Development aid: the top functions of a profile the two window tools wrote, by self and by total
// (self plus everything it called):
//   node bench/tools/profile-summary.mjs /tmp/bench-profiles/<pid>.cpuprofile     (milliseconds)
//   node bench/tools/profile-summary.mjs /tmp/bench-profiles/<pid>.heapprofile    (KiB allocated)
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench/tools/profile-summary.mjs <file.cpuprofile | file.heapprofile> [rows]');
  process.exit(2);
}
const rows = Number(process.argv[3] ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nameOf = (frame) => `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber}`;
const self = new Map();
const total = new Map();
let sum = 0;

/** Adds `amount` to the function of `stack`'s last frame (self) and to each function on it once (total). */
function count(stack, amount) {
  sum += amount;
  const last = stack[stack.length - 1];
  self.set(last, (self.get(last) ?? 0) + amount);
  for (const name of new Set(stack)) total.set(name, (total.get(name) ?? 0) + amount);
}

if (file.endsWith('.heapprofile')) {
  const walk = (node, stack) => {
    const here = [...stack, nameOf(node.callFrame)];
    count(here, node.selfSize / 1024);
    for (const child of node.children) walk(child, here);
  };
  walk(profile.head, []);
} else {
  // .cpuprofile: nodes with parent links through `children`, samples with time deltas (µs).
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfTime = new Map();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  for (const [id, ms] of selfTime) {
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.unshift(nameOf(byId.get(at).callFrame));
    count(stack, ms);
  }
}

const unit = file.endsWith('.heapprofile') ? 'KiB' : 'ms';
const top = (map) => [...map].sort((a, b) => b[1] - a[1]).slice(0, rows);
console.log(`total ${sum.toFixed(0)} ${unit}`);
console.log('--- self');
for (const [name, amount] of top(self)) console.log(`${amount.toFixed(1).padStart(10)} ${unit}  ${name}`);
console.log('--- total');
for (const [name, amount] of top(total)) console.log(`${amount.toFixed(1).padStart(10)} ${unit}  ${name}`);
