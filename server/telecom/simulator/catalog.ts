/**
 * The demo's destination catalogue: realistic retail termination rates per minute in USD, in order of
 * popularity (the simulator skews traffic by this order), with their billing increments.
 */

export interface CatalogEntry {
  prefix: string;
  name: string;
  /** Per-minute rate in USD. */
  usd: string;
  connect?: string;
  /** MCD/pulse in seconds. */
  mcd: number;
  pulse: number;
}

const e = (prefix: string, name: string, usd: string, mcd: number, pulse: number, connect?: string) => ({
  prefix,
  name,
  usd,
  mcd,
  pulse,
  ...(connect ? { connect } : {}),
});

export const CATALOG: readonly CatalogEntry[] = [
  e('1', 'USA', '0.0090', 1, 1),
  e('447', 'UK Mobile', '0.0220', 1, 1),
  e('1212', 'USA New York', '0.0085', 1, 1),
  e('52', 'Mexico', '0.0210', 60, 60),
  e('91', 'India', '0.0280', 60, 60),
  e('44', 'UK', '0.0120', 0, 1),
  e('4915', 'Germany Mobile', '0.0450', 30, 6),
  e('919', 'India Mobile', '0.0320', 60, 60),
  e('4420', 'UK London', '0.0100', 0, 1),
  e('1213', 'USA Los Angeles', '0.0085', 1, 1),
  e('336', 'France Mobile', '0.0380', 30, 6),
  e('49', 'Germany', '0.0130', 30, 6),
  e('55', 'Brazil', '0.0220', 30, 6),
  e('86', 'China', '0.0150', 1, 1),
  e('63', 'Philippines', '0.1450', 60, 60, '0.0100'),
  e('234', 'Nigeria', '0.1350', 60, 60, '0.0100'),
  e('33', 'France', '0.0140', 30, 6),
  e('1416', 'Canada Toronto', '0.0095', 1, 1),
  e('61', 'Australia', '0.0180', 30, 6),
  e('8613', 'China Mobile', '0.0160', 1, 1),
  e('34', 'Spain', '0.0130', 30, 6),
  e('5255', 'Mexico City', '0.0090', 60, 60),
  e('4916', 'Germany Mobile', '0.0450', 30, 6),
  e('1305', 'USA Miami', '0.0088', 1, 1),
  e('614', 'Australia Mobile', '0.0450', 30, 6),
  e('39', 'Italy', '0.0150', 30, 6),
  e('2348', 'Nigeria Mobile', '0.1550', 60, 60, '0.0100'),
  e('5511', 'Brazil Sao Paulo', '0.0110', 30, 6),
  e('92', 'Pakistan', '0.0950', 60, 60),
  e('1604', 'Canada Vancouver', '0.0095', 1, 1),
  e('880', 'Bangladesh', '0.0450', 60, 60),
  e('31', 'Netherlands', '0.0150', 30, 6),
  e('337', 'France Mobile', '0.0380', 30, 6),
  e('4917', 'Germany Mobile', '0.0450', 30, 6),
  e('639', 'Philippines Mobile', '0.1650', 60, 60, '0.0100'),
  e('81', 'Japan', '0.0350', 30, 6),
  e('346', 'Spain Mobile', '0.0290', 30, 6),
  e('393', 'Italy Mobile', '0.0350', 30, 6),
  e('27', 'South Africa', '0.0450', 60, 60),
  e('1809', 'Dominican Republic', '0.0750', 60, 60),
  e('82', 'South Korea', '0.0280', 30, 6),
  e('971', 'United Arab Emirates', '0.1850', 60, 60, '0.0200'),
  e('353', 'Ireland', '0.0150', 30, 6),
  e('316', 'Netherlands Mobile', '0.0520', 30, 6),
  e('57', 'Colombia', '0.0250', 60, 60),
  e('254', 'Kenya', '0.1100', 60, 60),
  e('90', 'Turkey', '0.0650', 60, 60),
  e('966', 'Saudi Arabia', '0.1250', 60, 60),
  e('62', 'Indonesia', '0.0650', 60, 60),
  e('48', 'Poland', '0.0140', 30, 6),
  e('54', 'Argentina', '0.0350', 60, 60),
  e('65', 'Singapore', '0.0150', 1, 1),
  e('852', 'Hong Kong', '0.0180', 1, 1),
  e('1876', 'Jamaica', '0.1450', 60, 60),
  e('972', 'Israel', '0.0240', 30, 6),
  e('2782', 'South Africa Mobile', '0.1250', 60, 60),
  e('46', 'Sweden', '0.0120', 30, 6),
  e('41', 'Switzerland', '0.0190', 30, 6),
  e('417', 'Switzerland Mobile', '0.1900', 30, 6),
  e('32', 'Belgium', '0.0160', 30, 6),
  e('351', 'Portugal', '0.0140', 30, 6),
  e('56', 'Chile', '0.0240', 60, 60),
  e('51', 'Peru', '0.0250', 60, 60),
  e('64', 'New Zealand', '0.0350', 30, 6),
  e('30', 'Greece', '0.0150', 30, 6),
  e('20', 'Egypt', '0.1650', 60, 60),
  e('2547', 'Kenya Mobile', '0.1200', 60, 60),
  e('8190', 'Japan Mobile', '0.0950', 30, 6),
  e('905', 'Turkey Mobile', '0.1400', 60, 60),
  e('4470', 'UK Personal Numbers', '0.2500', 60, 60, '0.0500'),
];

/** Rough exchange rates from USD used to price the demo's other currencies. */
export const FX: Readonly<Record<string, string>> = { USD: '1', EUR: '0.92', GBP: '0.79' };
