/**
 * A small authoritative DNS server for tests (UDP on 127.0.0.1, random port): a zone map with A, AAAA,
 * CNAME, CAA and TXT records, NXDOMAIN for unknown names and SERVFAIL on demand. CNAME chains are answered
 * whole (every hop plus the final records in one answer), as recursive resolvers and Pebble's VA expect.
 */
import dgram from 'node:dgram';

export interface ZoneEntry {
  cname?: string;
  a?: string[];
  aaaa?: string[];
  caa?: Array<{ flags?: number; tag: string; value: string }>;
  txt?: string[];
  servfail?: boolean;
}

const TYPE = { A: 1, CNAME: 5, TXT: 16, AAAA: 28, CAA: 257 } as const;

function readName(buf: Buffer, offset: number): [string, number] {
  const labels: string[] = [];
  let pos = offset;
  for (;;) {
    const len = buf[pos];
    if (len === undefined) throw new Error('truncated name');
    if (len === 0) return [labels.join('.').toLowerCase(), pos + 1];
    labels.push(buf.toString('ascii', pos + 1, pos + 1 + len));
    pos += len + 1;
  }
}

function encodeName(name: string): Buffer {
  const parts = name
    .replace(/\.$/, '')
    .split('.')
    .filter(Boolean)
    .map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

function rr(name: string, type: number, rdata: Buffer, ttl = 300): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(1, 2);
  head.writeUInt32BE(ttl, 4);
  head.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(name), head, rdata]);
}

function ipv6(addr: string): Buffer {
  const [head = '', tail = ''] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => {
    out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  });
  return out;
}

function records(name: string, type: number, e: ZoneEntry): Buffer[] {
  const out: Buffer[] = [];
  if (type === TYPE.A)
    for (const a of e.a ?? []) out.push(rr(name, type, Buffer.from(a.split('.').map(Number))));
  if (type === TYPE.AAAA) for (const a of e.aaaa ?? []) out.push(rr(name, type, ipv6(a)));
  if (type === TYPE.TXT) {
    for (const t of e.txt ?? [])
      out.push(rr(name, type, Buffer.concat([Buffer.from([t.length]), Buffer.from(t)])));
  }
  if (type === TYPE.CAA) {
    for (const c of e.caa ?? []) {
      const rdata = Buffer.concat([
        Buffer.from([c.flags ?? 0, c.tag.length]),
        Buffer.from(c.tag, 'ascii'),
        Buffer.from(c.value, 'utf8'),
      ]);
      out.push(rr(name, type, rdata));
    }
  }
  return out;
}

export interface TestDns {
  /** host:port for DNS_SERVERS and Pebble's -dnsserver. */
  address: string;
  zone: Map<string, ZoneEntry>;
  set(name: string, entry: ZoneEntry): void;
  /** Every question asked, as "name TYPE". */
  queries: string[];
  close(): Promise<void>;
}

/** Starts the server; the zone can be changed at any time. */
export async function startTestDns(): Promise<TestDns> {
  const zone = new Map<string, ZoneEntry>();
  const queries: string[] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    try {
      const [qname, end] = readName(msg, 12);
      const qtype = msg.readUInt16BE(end);
      queries.push(`${qname} ${qtype}`);
      const answers: Buffer[] = [];
      let rcode = 0;
      let name = qname;
      const seen = new Set<string>();
      for (;;) {
        const e = zone.get(name);
        if (!e) {
          if (answers.length === 0) rcode = 3;
          break;
        }
        if (e.servfail) {
          rcode = 2;
          answers.length = 0;
          break;
        }
        if (e.cname && qtype !== TYPE.CNAME) {
          if (seen.has(name)) break;
          seen.add(name);
          answers.push(rr(name, TYPE.CNAME, encodeName(e.cname)));
          name = e.cname.toLowerCase();
          continue;
        }
        if (e.cname) answers.push(rr(name, TYPE.CNAME, encodeName(e.cname)));
        else answers.push(...records(name, qtype, e));
        break;
      }
      const header = Buffer.alloc(12);
      header.writeUInt16BE(msg.readUInt16BE(0), 0);
      const rd = msg.readUInt16BE(2) & 0x0100;
      header.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2);
      header.writeUInt16BE(1, 4);
      header.writeUInt16BE(answers.length, 6);
      const question = msg.subarray(12, end + 4);
      socket.send(Buffer.concat([header, question, ...answers]), rinfo.port, rinfo.address);
    } catch {
      // A malformed question gets no answer, as from a real server dropping junk.
    }
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  return {
    address: `127.0.0.1:${port}`,
    zone,
    set: (name, entry) => zone.set(name.toLowerCase(), entry),
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
