/** One call: what happened, its routing attempts, the SIP ladder and the RTCP quality figures. */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { CallDetailDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { ErrorPanel, PageLoading } from '../../components/Status.tsx';
import { errorMessage } from '../../queries.ts';
import { formatDateTime, formatDuration } from './format.ts';
import { SipLadder } from './SipLadder.tsx';

export function CallDetail({ callId, onClose }: { callId: string; onClose: () => void }) {
  const q = useQuery({
    queryKey: ['portal', 'call', callId],
    queryFn: () => api.get<CallDetailDto>(`/api/v1/portal/calls/${encodeURIComponent(callId)}`),
  });
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const d = q.data;

  return (
    <section className="portal-card portal-stack portal-call-detail" aria-labelledby="portal-call-title">
      <h2 className="portal-card-title" id="portal-call-title" tabIndex={-1} ref={heading}>
        Call {callId}
      </h2>
      <div>
        <button type="button" className="portal-button portal-button--secondary" onClick={onClose}>
          Back to the list
        </button>
      </div>
      {d ? (
        <>
          {d.call ? (
            <dl className="portal-figures">
              <div>
                <dt>Time</dt>
                <dd>{formatDateTime(d.call.start_time)}</dd>
              </div>
              <div>
                <dt>From (CLI)</dt>
                <dd>{d.call.cli || '—'}</dd>
              </div>
              <div>
                <dt>To</dt>
                <dd>{d.call.dest_number}</dd>
              </div>
              <div>
                <dt>Destination</dt>
                <dd>{d.call.dest_name ?? '—'}</dd>
              </div>
              <div>
                <dt>Result</dt>
                <dd>
                  {d.call.sip_code} {d.call.sip_reason}
                </dd>
              </div>
              <div>
                <dt>Duration</dt>
                <dd>{formatDuration(d.call.duration)}</dd>
              </div>
              <div>
                <dt>Authentication</dt>
                <dd>
                  {d.call.auth_type ? `${d.call.auth_type.toUpperCase()} ${d.call.auth_ref ?? ''}` : '—'}
                </dd>
              </div>
              <div>
                <dt>Release reason</dt>
                <dd>{d.call.release_reason || '—'}</dd>
              </div>
            </dl>
          ) : (
            <p>The call's billing record has not arrived yet; its routing log is below.</p>
          )}
          <h3>Routing attempts</h3>
          {d.attempts.length ? (
            <div className="portal-table-scroll">
              <table className="portal-data-table">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Carrier</th>
                    <th scope="col">Started</th>
                    <th scope="col">Answer</th>
                    <th scope="col">PDD</th>
                  </tr>
                </thead>
                <tbody>
                  {d.attempts.map((a) => (
                    <tr key={a.n}>
                      <td>{a.n}</td>
                      <td>{a.carrier ?? '—'}</td>
                      <td>{formatDateTime(a.started_at)}</td>
                      <td>
                        {a.sip_code} {a.sip_reason}
                      </td>
                      <td>{a.pdd_ms === null ? '—' : `${a.pdd_ms} ms`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p>No routing log is kept for this call (logs are kept for 14 days).</p>
          )}
          <h3>SIP ladder</h3>
          {d.sip_messages.length ? (
            <>
              <SipLadder messages={d.sip_messages} />
              <details className="portal-details">
                <summary>SIP messages as text ({d.sip_messages.length})</summary>
                <ol className="portal-stack">
                  {d.sip_messages.map((m, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a stored SIP trace is a fixed sequence; retransmissions repeat the same time and text
                    <li key={`${m.at}-${i}`}>
                      <p>
                        <strong>{m.method_or_status}</strong> {m.src} → {m.dst} at {formatDateTime(m.at)}
                      </p>
                      {m.raw ? <pre className="portal-sip-raw">{m.raw}</pre> : null}
                    </li>
                  ))}
                </ol>
              </details>
            </>
          ) : (
            <p>No SIP messages were stored for this call.</p>
          )}
          <h3>Call quality (RTCP)</h3>
          {d.rtcp ? (
            <dl className="portal-figures portal-rtcp">
              <div>
                <dt>MOS</dt>
                <dd>{d.rtcp.mos.toFixed(2)}</dd>
              </div>
              <div>
                <dt>Jitter</dt>
                <dd>{d.rtcp.jitter_ms} ms</dd>
              </div>
              <div>
                <dt>Packet loss</dt>
                <dd>{d.rtcp.packet_loss_pct} %</dd>
              </div>
              <div>
                <dt>Round trip</dt>
                <dd>{d.rtcp.rtt_ms} ms</dd>
              </div>
            </dl>
          ) : (
            <p>No quality report: the call was not answered or sent no RTCP.</p>
          )}
        </>
      ) : q.isError ? (
        <ErrorPanel
          message={errorMessage(q.error, 'The call could not be loaded.')}
          onRetry={() => void q.refetch()}
          retrying={q.isFetching}
        />
      ) : (
        <PageLoading label="Loading the call…" />
      )}
    </section>
  );
}
