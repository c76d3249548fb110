// @ts-check
/**
 * The TLS front: a small process of its own (no application code, no dependencies, a few MB of heap) that
 * terminates TLS for every portal domain on HTTPS_PORT and hands the decrypted bytes to the application over a
 * private Unix socket. Plain JavaScript so it starts without a TypeScript loader.
 *
 * Why a process: a full handshake costs about a quarter less CPU here than on the application's event loop
 * (no large heap to collect, no HTTP parser set up before the first byte), handshake storms no longer delay
 * API requests, and the handshakes run on another core. See the README's design notes and bench/README.md.
 *
 * The application (server/tls/https.ts) forks this file and talks to it over the IPC channel:
 *   app → front  {type:'start', port, host, cert, key, tls, upstream, maxContexts, maxNegative, negativeTtlMs}
 *                {type:'cert', host, cert?, key?, notAfter?}   the answer to a lookup (no cert: none)
 *                {type:'invalidate', id?, host?}               a certificate changed (no host: all); acknowledged
 *                {type:'stats', id}
 *   front → app  {type:'listening', port} · {type:'failed', message} · {type:'lookup', host} · {type:'invalidated', id}
 *                {type:'stats', id, loads, connections, clientErrors, contexts, negative, rssBytes, heapUsedBytes}
 * Nothing is ever ordered from here: a name without a stored certificate gets the platform's certificate.
 * Each connection reaches the application only when its first decrypted bytes arrive, preceded by one line
 * `FRONT <server name or -> <client address> <client port>\r\n` so the application keeps SNI and client address.
 */
import net from 'node:net';
import tls from 'node:tls';

// Nothing here prints a stack trace, and Node builds an error for every client that leaves before its handshake
// is finished ("socket hang up", handed to 'tlsClientError'): capturing its stack was ~2.5 % of the front's CPU
// per handshake in a profile of aborted handshakes. Messages and codes are kept.
Error.stackTraceLimit = 0;

/** How long a lookup may take before the handshake goes on with the platform's certificate. */
const LOOKUP_TIMEOUT_MS = 5000;
/** A handshake not finished after this long is dropped (Node's default is two minutes). */
const HANDSHAKE_TIMEOUT_MS = 20_000;
/** A connection that sends nothing after its handshake is closed after this long. */
const FIRST_BYTE_TIMEOUT_MS = 30_000;

/** @typedef {{ context: tls.SecureContext, notAfter: number }} Entry */
/** @type {Map<string, Entry>} */
const lru = new Map();
/** @type {Map<string, number>} */
const negative = new Map();
/** @type {Map<string, Array<(ctx: tls.SecureContext | undefined) => void>>} */
const waiting = new Map();
let loads = 0;
let clientErrors = 0;
/** @type {any} */
let config = null;
/** @type {tls.Server | null} */
let server = null;

/** @param {any} msg */
function send(msg) {
  if (process.connected) process.send?.(msg);
}

/** @param {string} servername */
function keyOf(servername) {
  return servername.toLowerCase().replace(/\.$/, '');
}

/** @param {string} host */
function cached(host) {
  const now = Date.now();
  const hit = lru.get(host);
  if (hit && hit.notAfter > now) {
    lru.delete(host);
    lru.set(host, hit);
    return hit.context;
  }
  const neg = negative.get(host);
  if (neg !== undefined && neg > now) return null;
  return undefined;
}

/**
 * @param {string} host
 * @param {tls.SecureContext | undefined} ctx
 */
function settle(host, ctx) {
  const cbs = waiting.get(host);
  if (!cbs) return;
  waiting.delete(host);
  for (const cb of cbs) cb(ctx);
}

/** @param {any} m */
function answer(m) {
  const host = String(m.host);
  if (!waiting.has(host)) return;
  if (!m.cert || !m.key) {
    if (negative.size >= config.maxNegative) negative.clear();
    negative.set(host, Date.now() + config.negativeTtlMs);
    lru.delete(host);
    settle(host, undefined);
    return;
  }
  /** @type {tls.SecureContext | undefined} */
  let context;
  try {
    context = tls.createSecureContext({ ...config.tls, cert: m.cert, key: m.key });
  } catch {
    settle(host, undefined);
    return;
  }
  lru.delete(host);
  lru.set(host, { context, notAfter: Number(m.notAfter) });
  while (lru.size > config.maxContexts) {
    const oldest = lru.keys().next().value;
    if (oldest === undefined) break;
    lru.delete(oldest);
  }
  settle(host, context);
}

/**
 * @param {string} servername
 * @param {(err: Error | null, ctx?: tls.SecureContext) => void} cb
 */
function sni(servername, cb) {
  const host = keyOf(servername);
  const known = cached(host);
  if (known !== undefined) {
    cb(null, known ?? undefined);
    return;
  }
  const queue = waiting.get(host);
  const done = (/** @type {tls.SecureContext | undefined} */ ctx) => cb(null, ctx);
  if (queue) {
    queue.push(done);
    return;
  }
  const mine = [done];
  waiting.set(host, mine);
  loads++;
  send({ type: 'lookup', host });
  setTimeout(() => {
    if (waiting.get(host) === mine) settle(host, undefined);
  }, LOOKUP_TIMEOUT_MS).unref();
}

/** @param {tls.TLSSocket} socket */
function forward(socket) {
  // Half-open from here on: a client that has finished sending (FIN) still gets its answer. Not before the
  // handshake: a client gone before its Finished reached us must be closed now, not at the handshake timeout.
  socket.allowHalfOpen = true;
  socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  // A client that closes without sending anything is closed without bothering the application; at once (it has
  // finished sending and expects nothing), without a TLS close_notify and a shutdown of our side first.
  const quiet = () => socket.destroy();
  socket.once('end', quiet);
  socket.once('data', (first) => {
    socket.off('end', quiet);
    socket.pause();
    socket.setTimeout(0);
    const up = net.connect(config.upstream);
    const name = typeof socket.servername === 'string' && socket.servername ? keyOf(socket.servername) : '-';
    up.write(`FRONT ${name} ${socket.remoteAddress ?? '-'} ${socket.remotePort ?? 0}\r\n`);
    up.write(first);
    up.on('error', () => {
      up.destroy();
      socket.destroy();
    });
    socket.on('close', () => up.destroy());
    socket.pipe(up);
    up.pipe(socket);
  });
}

/** @param {any} m */
function start(m) {
  config = m;
  server = tls.createServer(
    { ...m.tls, cert: m.cert, key: m.key, SNICallback: sni, handshakeTimeout: HANDSHAKE_TIMEOUT_MS },
    forward,
  );
  server.on('tlsClientError', () => {
    clientErrors++;
  });
  server.once('error', (err) => send({ type: 'failed', message: err.message }));
  server.listen(m.port, m.host, () => {
    const address = server?.address();
    send({ type: 'listening', port: typeof address === 'object' && address ? address.port : m.port });
  });
}

process.on('message', (/** @type {any} */ m) => {
  switch (m?.type) {
    case 'start':
      start(m);
      break;
    case 'cert':
      answer(m);
      break;
    case 'invalidate':
      if (m.host) {
        lru.delete(m.host);
        negative.delete(m.host);
      } else {
        lru.clear();
        negative.clear();
      }
      if (m.id !== undefined) send({ type: 'invalidated', id: m.id });
      break;
    case 'stats': {
      const mem = process.memoryUsage();
      const reply = (/** @type {number} */ connections) =>
        send({
          type: 'stats',
          id: m.id,
          loads,
          connections,
          clientErrors,
          contexts: lru.size,
          negative: negative.size,
          rssBytes: mem.rss,
          heapUsedBytes: mem.heapUsed,
        });
      if (server) server.getConnections((_err, n) => reply(n ?? 0));
      else reply(0);
      break;
    }
  }
});
// The front lives and dies with its application.
process.on('disconnect', () => process.exit(0));
