/** Simulate: route and rate a call without placing it. */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { SimulateResultDto } from '../../../../../common/api.ts';
import { api } from '../../../../ui/api.ts';
import { formatMoney } from '../../format.ts';
import { errorMessage } from '../../queries.ts';

export function SimulateForm() {
  const [dest, setDest] = useState('');
  const [cli, setCli] = useState('');
  const [duration, setDuration] = useState('60');
  const [problem, setProblem] = useState<string | null>(null);
  const run = useMutation({
    mutationFn: (body: { dest_number: string; cli: string; duration: number }) =>
      api.post<SimulateResultDto>('/api/v1/portal/calls/simulate', body),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const seconds = Number(duration);
    if (!/^[0-9#*+()\s-]+$/.test(dest.trim())) return setProblem('Enter the dialled number in digits.');
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400)
      return setProblem('Enter a duration between 0 and 86,400 seconds.');
    setProblem(null);
    run.mutate({ dest_number: dest.trim(), cli: cli.trim(), duration: seconds });
  };
  const r = run.data;
  const error = problem ?? (run.isError ? errorMessage(run.error, 'The simulation failed.') : null);

  return (
    <section className="portal-card portal-stack portal-simulate" aria-labelledby="portal-simulate-title">
      <h2 className="portal-card-title" id="portal-simulate-title">
        Simulate a call
      </h2>
      <p>See which route and rate a call would get, and what it would cost, without placing it.</p>
      <form className="portal-toolbar" onSubmit={submit} noValidate>
        <div className="portal-field">
          <label className="portal-label" htmlFor="sim-dest">
            Dialled number
          </label>
          <input
            id="sim-dest"
            className="portal-input"
            inputMode="tel"
            value={dest}
            onChange={(e) => setDest(e.target.value)}
            required
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="sim-cli">
            Caller ID (CLI)
          </label>
          <input
            id="sim-cli"
            className="portal-input"
            inputMode="tel"
            value={cli}
            onChange={(e) => setCli(e.target.value)}
          />
        </div>
        <div className="portal-field">
          <label className="portal-label" htmlFor="sim-duration">
            Duration (seconds)
          </label>
          <input
            id="sim-duration"
            className="portal-input"
            inputMode="numeric"
            value={duration}
            onChange={(e) => setDuration(e.target.value)}
          />
        </div>
        <button
          type="submit"
          className="portal-button portal-button--primary"
          aria-disabled={run.isPending || undefined}
        >
          {run.isPending ? 'Simulating…' : 'Simulate'}
        </button>
      </form>
      {error ? (
        <p className="portal-form-error" role="alert">
          {error}
        </p>
      ) : null}
      {r && !error ? (
        <dl className="portal-figures" aria-live="polite">
          <div>
            <dt>Route</dt>
            <dd>
              {r.route.tech_prefix ? `Tech prefix ${r.route.tech_prefix}` : 'Default route (no tech prefix)'}
            </dd>
          </div>
          <div>
            <dt>Rate card</dt>
            <dd>
              {r.rate_card.name} (revision {r.rate_card.revision})
            </dd>
          </div>
          <div>
            <dt>Matched prefix</dt>
            <dd>
              {r.match.prefix} · {r.match.name}
            </dd>
          </div>
          <div>
            <dt>Rate per minute</dt>
            <dd>{formatMoney(r.rate, r.currency)}</dd>
          </div>
          <div>
            <dt>Connect cost</dt>
            <dd>{formatMoney(r.connect_cost, r.currency)}</dd>
          </div>
          <div>
            <dt>Billed</dt>
            <dd>{r.billed_duration} s</dd>
          </div>
          <div>
            <dt>Charge</dt>
            <dd data-testid="simulate-charge">{formatMoney(r.charge, r.currency)}</dd>
          </div>
          <div>
            <dt>Caller ID</dt>
            <dd>
              {r.cli.action === 'reject'
                ? 'Refused by the CLI rules'
                : r.cli.action === 'replace'
                  ? `Replaced by ${r.cli.presented}`
                  : `Passed as ${r.cli.presented || '(empty)'}`}
            </dd>
          </div>
        </dl>
      ) : null}
    </section>
  );
}
