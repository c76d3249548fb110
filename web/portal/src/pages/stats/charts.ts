/** The portal's charts: endpoint, feature and wording of each. */
import type { FeatureId } from '../../../../../common/features.ts';

export interface ChartDef {
  id: string;
  title: string;
  /** What the figure means, shown under the title. */
  help: string;
  summaryLabel: string;
  endpoint: string;
  feature: FeatureId;
}

export const CHART_DEFS: readonly ChartDef[] = [
  {
    id: 'asr',
    title: 'ASR',
    help: 'Answer-seizure ratio: connected calls as a share of all call attempts.',
    summaryLabel: 'ASR over the range',
    endpoint: 'stats/asr',
    feature: 'customer_asr',
  },
  {
    id: 'acd',
    title: 'ACD',
    help: 'Average call duration: talk seconds per connected call.',
    summaryLabel: 'ACD over the range',
    endpoint: 'stats/acd',
    feature: 'customer_acd',
  },
  {
    id: 'cps',
    title: 'CPS',
    help: 'Calls per second: the most call attempts started within one second in each period.',
    summaryLabel: 'Peak CPS',
    endpoint: 'stats/cps',
    feature: 'customer_cps',
  },
  {
    id: 'channels',
    title: 'Channels',
    help: 'Concurrent calls: the most calls in progress at the same moment in each period.',
    summaryLabel: 'Peak channels',
    endpoint: 'stats/channels',
    feature: 'customer_channels',
  },
  {
    id: 'dtmf',
    title: 'DTMF',
    help: 'Share of connected calls in which keypad tones (DTMF) were detected.',
    summaryLabel: 'DTMF over the range',
    endpoint: 'stats/dtmf',
    feature: 'customer_dtmf',
  },
  {
    id: 'carrier-cps',
    title: 'Carrier CPS',
    help: 'Calls per second, per carrier: the most call attempts started within one second in each period.',
    summaryLabel: 'Peak CPS',
    endpoint: 'stats/carrier/cps',
    feature: 'carrier_cps',
  },
  {
    id: 'carrier-channels',
    title: 'Carrier channels',
    help: 'Concurrent calls per carrier: the most calls in progress at the same moment in each period.',
    summaryLabel: 'Peak channels',
    endpoint: 'stats/carrier/channels',
    feature: 'carrier_channels',
  },
  {
    id: 'carrier-dtmf',
    title: 'Carrier DTMF',
    help: 'Share of connected calls with keypad tones (DTMF), per carrier.',
    summaryLabel: 'DTMF over the range',
    endpoint: 'stats/carrier/dtmf',
    feature: 'carrier_dtmf',
  },
];

export const chartDef = (id: string): ChartDef => CHART_DEFS.find((c) => c.id === id)!;
