// Cross-language check: the official Node.js client (@google-cloud/tasks) against a running
// emulator, over gRPC and over its HTTP/JSON ("fallback") transport, asserting the behaviour
// written down in CLOUD_TASKS_FACTS.md. Driven by NodeClientIT:
//   EMULATOR_GRPC=127.0.0.1:9022 EMULATOR_REST_PORT=9023 PROJECT=p LOCATION=l node check.mjs
// Prints one line per check and a final "N passed, M failed"; exits 1 if any check failed.
// No Google credentials or metadata server here: keep google-auth-library from looking for one.
process.env.METADATA_SERVER_DETECTION ??= 'none';
import http from 'node:http';
import {once} from 'node:events';
import {CloudTasksClient} from '@google-cloud/tasks';
import gax from 'google-gax';
import {PassThroughClient} from 'google-auth-library';

const [host, port] = (process.env.EMULATOR_GRPC ?? '').split(':');
if (!host || !port) {
  console.error('EMULATOR_GRPC must be host:port of the emulator gRPC server');
  process.exit(2);
}
const restPort = Number(process.env.EMULATOR_REST_PORT);
if (!restPort) {
  console.error('EMULATOR_REST_PORT must be the port of the emulator REST API');
  process.exit(2);
}
const project = process.env.PROJECT ?? 'dev-project';
const location = process.env.LOCATION ?? 'us-central1';
const parent = `projects/${project}/locations/${location}`;
const client = new CloudTasksClient({
  projectId: project,
  apiEndpoint: host,
  port: Number(port),
  sslCreds: gax.grpc.credentials.createInsecure(),
});
// The same client over HTTP/JSON; PassThroughClient sends no credentials.
const rest = new CloudTasksClient({
  fallback: true,
  protocol: 'http',
  apiEndpoint: host,
  port: restPort,
  projectId: project,
  authClient: new PassThroughClient(),
});

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e && e.stack ? e.stack : e}`);
  }
}
function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
async function rpcError(promise, code, details) {
  try {
    await promise;
  } catch (e) {
    equal(e.code, code, 'gRPC status code');
    if (details !== undefined) {
      // gRPC errors carry the status message in `details`; REST errors in `message`.
      equal(typeof e.details === 'string' ? e.details : e.message, details, 'status message');
    }
    return e;
  }
  throw new Error(`expected gRPC code ${code}, the call succeeded`);
}

// gRPC status codes, as numbers, as the Node client reports them.
const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

// A real handler on a free loopback port that records the requests it gets.
const received = [];
let onRequest = () => {};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    received.push({url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString()});
    res.writeHead(200).end();
    onRequest();
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const handlerUrl = `http://127.0.0.1:${server.address().port}`;

const queueName = id => `${parent}/queues/${id}`;
const suffix = Date.now().toString(36);
const q = queueName(`node-${suffix}`);

await check('CreateQueue applies the service defaults', async () => {
  const [queue] = await client.createQueue({parent, queue: {name: q}});
  equal(queue.name, q, 'name');
  equal(queue.state, 'RUNNING', 'state');
  equal(queue.rateLimits.maxDispatchesPerSecond, 500, 'rate');
  equal(queue.rateLimits.maxBurstSize, 100, 'burst');
  equal(queue.rateLimits.maxConcurrentDispatches, 1000, 'concurrency');
  equal(queue.retryConfig.maxAttempts, 100, 'max attempts');
});

await check('GetQueue on a missing queue is NOT_FOUND', async () => {
  await rpcError(
    client.getQueue({name: queueName(`missing-${suffix}`)}),
    NOT_FOUND,
    'Requested entity was not found.'
  );
});

await check('CreateTask into a missing queue is NOT_FOUND with the real message', async () => {
  await rpcError(
    client.createTask({
      parent: queueName(`missing-${suffix}`),
      task: {httpRequest: {url: `${handlerUrl}/x`}},
    }),
    NOT_FOUND,
    'Queue does not exist. If you just created the queue, wait at least a minute for the queue to initialize.'
  );
});

await check('an invalid task id is INVALID_ARGUMENT with the real message', async () => {
  await rpcError(
    client.createTask({parent: q, task: {name: `${q}/tasks/bad id`, httpRequest: {url: `${handlerUrl}/x`}}}),
    INVALID_ARGUMENT,
    'Task ID "bad id" can contain only letters ([A-Za-z]), numbers ([0-9]), hyphens (-), or underscores (_). Task ID must between 1 and 500 characters.'
  );
});

await check('a schedule more than 30 days ahead is INVALID_ARGUMENT', async () => {
  const e = await rpcError(
    client.createTask({
      parent: q,
      task: {
        scheduleTime: {seconds: Math.floor(Date.now() / 1000) + 31 * 24 * 3600},
        httpRequest: {url: `${handlerUrl}/x`},
      },
    }),
    INVALID_ARGUMENT
  );
  if (!e.details.endsWith('must be no more than 720h in the future.')) {
    throw new Error(`unexpected message: ${e.details}`);
  }
});

await check('BASIC view hides the body, FULL shows it; a duplicate name is ALREADY_EXISTS', async () => {
  await client.pauseQueue({name: q});
  const name = `${q}/tasks/viewed`;
  await client.createTask({
    parent: q,
    task: {name, httpRequest: {url: `${handlerUrl}/x`, httpMethod: 'POST', body: Buffer.from('secret')}},
  });
  const [basic] = await client.getTask({name});
  equal(basic.view, 'BASIC', 'default view');
  equal(basic.httpRequest.body.length, 0, 'BASIC body length');
  const [full] = await client.getTask({name, responseView: 'FULL'});
  equal(Buffer.from(full.httpRequest.body).toString(), 'secret', 'FULL body');
  await rpcError(
    client.createTask({parent: q, task: {name, httpRequest: {url: `${handlerUrl}/x`}}}),
    ALREADY_EXISTS,
    'Requested entity already exists'
  );
  await client.deleteTask({name});
  await client.resumeQueue({name: q});
});

await check('an HTTP task is delivered with the Cloud Tasks headers, then its name is tombstoned', async () => {
  const name = `${q}/tasks/delivered-1`;
  const delivered = new Promise(resolve => (onRequest = resolve));
  await client.createTask({
    parent: q,
    task: {
      name,
      httpRequest: {url: `${handlerUrl}/work?a=1`, httpMethod: 'POST', body: Buffer.from('{"k":1}')},
    },
  });
  await Promise.race([
    delivered,
    new Promise((_, reject) => setTimeout(() => reject(new Error('no delivery within 30 s')), 30000)),
  ]);
  const r = received.at(-1);
  equal(r.url, '/work?a=1', 'path');
  equal(r.body, '{"k":1}', 'body');
  equal(r.headers['user-agent'], 'Google-Cloud-Tasks', 'User-Agent');
  equal(r.headers['x-cloudtasks-queuename'], q.split('/').at(-1), 'QueueName');
  equal(r.headers['x-cloudtasks-taskname'], 'delivered-1', 'TaskName');
  equal(r.headers['x-cloudtasks-taskretrycount'], '0', 'TaskRetryCount');
  equal(r.headers['x-cloudtasks-taskexecutioncount'], '0', 'TaskExecutionCount');
  if (!/^\d+(\.\d+)?$/.test(r.headers['x-cloudtasks-tasketa'] ?? '')) {
    throw new Error(`TaskETA: ${r.headers['x-cloudtasks-tasketa']}`);
  }
  equal(r.headers['content-type'], undefined, 'Content-Type (HTTP targets add none)');
  // The task is deleted once the handler answered 2xx; poll, as the deletion follows the response.
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      await client.getTask({name});
    } catch (e) {
      equal(e.code, NOT_FOUND, 'code after completion');
      equal(
        e.details,
        'The task no longer exists, though a task with this name existed recently. The task either successfully completed or was deleted.',
        'tombstone message'
      );
      break;
    }
    if (Date.now() > deadline) throw new Error('the completed task was not deleted within 30 s');
    await new Promise(r => setTimeout(r, 50));
  }
  await rpcError(
    client.createTask({parent: q, task: {name, httpRequest: {url: `${handlerUrl}/x`}}}),
    ALREADY_EXISTS,
    'Requested entity already exists'
  );
});

await check('ListQueues pages in lexicographic order', async () => {
  for (const id of ['c', 'a', 'b']) {
    await client.createQueue({parent, queue: {name: queueName(`order-${suffix}-${id}`)}});
  }
  const names = [];
  let request = {parent, pageSize: 2};
  let pages = 0;
  while (request) {
    const [queues, next] = await client.listQueues(request, {autoPaginate: false});
    if (queues.length > 2) throw new Error(`page of ${queues.length} queues, page size was 2`);
    names.push(...queues.map(x => x.name));
    request = next;
    pages++;
  }
  if (pages < 2) throw new Error(`expected several pages, got ${pages}`);
  equal(JSON.stringify(names), JSON.stringify([...names].sort()), 'lexicographic order');
  const ours = names.filter(n => n.includes(`order-${suffix}`));
  equal(JSON.stringify(ours), JSON.stringify(['a', 'b', 'c'].map(id => queueName(`order-${suffix}-${id}`))), 'our queues');
});

await check('a deleted queue name cannot be reused: FAILED_PRECONDITION', async () => {
  const gone = queueName(`gone-${suffix}`);
  await client.createQueue({parent, queue: {name: gone}});
  await client.deleteQueue({name: gone});
  await rpcError(
    client.createQueue({parent, queue: {name: gone}}),
    FAILED_PRECONDITION,
    'The queue cannot be created because a queue with this name existed too recently.'
  );
});

await check('REST: CreateQueue, PATCH with an update mask, ListQueues', async () => {
  const rq = queueName(`rest-${suffix}`);
  const [created] = await rest.createQueue({parent, queue: {name: rq}});
  equal(created.state, 'RUNNING', 'state');
  const [updated] = await rest.updateQueue({
    queue: {name: rq, rateLimits: {maxDispatchesPerSecond: 7, maxConcurrentDispatches: 3}},
    updateMask: {paths: ['rate_limits.max_dispatches_per_second']},
  });
  equal(updated.rateLimits.maxDispatchesPerSecond, 7, 'updated rate');
  equal(updated.rateLimits.maxConcurrentDispatches, 1000, 'concurrency outside the mask');
  const [queues] = await rest.listQueues({parent}, {autoPaginate: false});
  if (!queues.some(x => x.name === rq)) throw new Error('the queue is not listed');
});

await check('REST: CreateTask and GetTask with the FULL view, then DeleteTask', async () => {
  const rq = queueName(`rest-${suffix}`);
  await rest.pauseQueue({name: rq});
  const name = `${rq}/tasks/rest-task`;
  await rest.createTask({
    parent: rq,
    task: {name, httpRequest: {url: `${handlerUrl}/x`, httpMethod: 'PUT', body: Buffer.from('via rest')}},
  });
  const [full] = await rest.getTask({name, responseView: 'FULL'});
  equal(Buffer.from(full.httpRequest.body).toString(), 'via rest', 'FULL body');
  equal(full.httpRequest.httpMethod, 'PUT', 'method');
  const [tasks] = await rest.listTasks({parent: rq}, {autoPaginate: false});
  equal(tasks.length, 1, 'listed tasks');
  await rest.deleteTask({name});
});

await check('REST: errors carry the gRPC status and the real message', async () => {
  await rpcError(
    rest.getQueue({name: queueName(`missing-${suffix}`)}),
    NOT_FOUND,
    'Requested entity was not found.'
  );
  const rq = queueName(`rest-${suffix}`);
  await rest.createTask({parent: rq, task: {name: `${rq}/tasks/twice`, httpRequest: {url: `${handlerUrl}/x`}}});
  const e = await rpcError(
    rest.createTask({parent: rq, task: {name: `${rq}/tasks/twice`, httpRequest: {url: `${handlerUrl}/x`}}}),
    ALREADY_EXISTS
  );
  if (!String(e.message).includes('Requested entity already exists')) {
    throw new Error(`unexpected message: ${e.message}`);
  }
});

await client.close();
await rest.close();
server.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
