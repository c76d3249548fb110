/** The SIP ladder of one call, drawn from its stored messages: one lane per address, one arrow per message. */
import { useId } from 'react';
import type { SipMessageDto } from '../../../../../common/api.ts';

const W = 720;
const ROW = 30;
const TOP = 48;
const SIDE = 90;

export function SipLadder({ messages }: { messages: SipMessageDto[] }) {
  const id = useId();
  const lanes: string[] = [];
  for (const m of messages) for (const a of [m.src, m.dst]) if (!lanes.includes(a)) lanes.push(a);
  const laneX = (addr: string) =>
    lanes.length <= 1 ? W / 2 : SIDE + (lanes.indexOf(addr) * (W - 2 * SIDE)) / (lanes.length - 1);
  const H = TOP + messages.length * ROW + 16;
  const t0 = messages[0] ? Date.parse(messages[0].at) : 0;

  return (
    <svg className="portal-ladder-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`}>
      <title id={`${id}-t`}>
        {`SIP ladder: ${messages.length} messages between ${lanes.join(', ')}. The same messages are listed below.`}
      </title>
      <defs>
        <marker
          id={`${id}-arrow`}
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
        </marker>
      </defs>
      {lanes.map((a) => (
        <g key={a}>
          <text x={laneX(a)} y={20} textAnchor="middle" fontWeight="600">
            {a}
          </text>
          <line className="portal-ladder-lane" x1={laneX(a)} x2={laneX(a)} y1={28} y2={H - 8} />
        </g>
      ))}
      {messages.map((m, i) => {
        const y = TOP + i * ROW;
        const x1 = laneX(m.src);
        const x2 = laneX(m.dst);
        const code = Number.parseInt(m.method_or_status, 10);
        const kind = code >= 400 ? 'error' : 'ok';
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: a stored SIP trace is a fixed sequence; retransmissions repeat the same time and text
          <g key={`${m.at}-${i}`} data-kind={kind}>
            <text className="portal-ladder-time" x={4} y={y + 4}>
              {`+${((Date.parse(m.at) - t0) / 1000).toFixed(3)} s`}
            </text>
            <text x={(x1 + x2) / 2} y={y - 5} textAnchor="middle">
              {m.method_or_status}
            </text>
            <line
              className="portal-ladder-arrow"
              data-kind={kind}
              x1={x1}
              x2={x2 === x1 ? x2 + 30 : x2}
              y1={y}
              y2={y}
              markerEnd={`url(#${id}-arrow)`}
              style={{ color: kind === 'error' ? 'var(--portal-danger)' : 'var(--portal-primary)' }}
            />
          </g>
        );
      })}
    </svg>
  );
}
