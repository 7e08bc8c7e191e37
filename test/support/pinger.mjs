// A separate process that pings a host over its WebSocket until stdin closes, then prints the round trips (ms) as JSON.
// Separate so that the test's own work (building inputs, hashing folders) never delays reading a pong.
import WebSocket from 'ws';

const [url] = process.argv.slice(2);
const socket = new WebSocket(url);
const latencies = [];
const startedAt = [];
let stopping = false;
let id = 0;
socket.once('open', () => ping());
socket.on('message', (data) => {
  const reply = JSON.parse(String(data));
  if (reply.type !== 'result' || reply.id !== id) return;
  latencies.push(performance.now() - sentAt);
  startedAt.push(Date.now() - (performance.now() - sentAt));
  if (reply.ok !== true) failures += 1;
  if (stopping) finish();
  else setTimeout(ping, 5);
});
let sentAt = 0;
let failures = 0;
function ping() {
  id += 1;
  sentAt = performance.now();
  socket.send(JSON.stringify({ type: 'invoke', id, method: 'app.ping', input: {} }));
}
function finish() {
  process.stdout.write(JSON.stringify({ latencies, failures, startedAt }));
  socket.close();
}
process.stdin.on('data', () => undefined);
process.stdin.on('end', () => {
  stopping = true;
});
console.error('pinger ready');
