/**
 * A running switch in miniature: calls arrive (Poisson, following the daily curve), ring, talk and
 * end. Each step reports the calls that ended (to ingest as CDRs) and the ones still in progress.
 */
import {
  type ActiveCallRow,
  CallFactory,
  type SimCall,
  type TrafficSpec,
  trafficIntensity,
} from './generate.ts';
import { createRng, exponential, hash32, type Rng } from './prng.ts';

/** Mean of trafficIntensity over a week (weekdays 1, weekends 0.6). */
const MEAN_INTENSITY = (5 + 2 * 0.6) / 7;

export interface LiveTrafficOptions {
  seed: number | string;
  /** Average new calls per second over a week (the daily curve moves it up and down). */
  callsPerSecond: number;
  idPrefix?: string;
}

export class LiveTraffic {
  readonly factory: CallFactory;
  readonly rng: Rng;
  private readonly inProgress: SimCall[] = [];
  private nextArrival: number;
  private n = 0;
  private readonly idBase: string;

  /** Starts warm: calls that began in the last half hour and are still going at `now` are in progress. */
  constructor(
    spec: TrafficSpec,
    private readonly opts: LiveTrafficOptions,
    now: number,
  ) {
    this.factory = new CallFactory(spec);
    this.rng = createRng(`${opts.seed}|live`);
    this.idBase = `${opts.idPrefix ?? 'live'}-${hash32(String(opts.seed)).toString(16).padStart(8, '0')}-`;
    this.nextArrival = now - 30 * 60_000;
    this.spawnUntil(now);
    this.takeEnded(now);
  }

  private rateAt(ms: number): number {
    return (this.opts.callsPerSecond * trafficIntensity(ms)) / MEAN_INTENSITY;
  }

  private spawnUntil(now: number): void {
    while (this.nextArrival <= now) {
      const at = this.nextArrival;
      this.inProgress.push(
        this.factory.build(this.rng, this.idBase + (this.n++).toString(36), Math.floor(at)),
      );
      this.nextArrival += exponential(this.rng, 1000 / Math.max(1e-6, this.rateAt(at)));
    }
  }

  private takeEnded(now: number): SimCall[] {
    const ended: SimCall[] = [];
    for (let i = this.inProgress.length - 1; i >= 0; i--) {
      if (this.inProgress[i]!.endMs <= now) ended.push(...this.inProgress.splice(i, 1));
    }
    return ended.sort((a, b) => a.startMs - b.startMs);
  }

  /** Moves time to `now`: new calls start; the ones over are returned. */
  advance(now: number): { ended: SimCall[]; active: ActiveCallRow[] } {
    this.spawnUntil(now);
    const ended = this.takeEnded(now);
    return { ended, active: this.active(now) };
  }

  /** Calls in progress at `now` (ringing or talking). */
  active(now: number): ActiveCallRow[] {
    return this.inProgress.filter((c) => c.startMs <= now).map((c) => this.factory.activeCall(c, now));
  }
}
