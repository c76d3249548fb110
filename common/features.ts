/**
 * The portal feature registry: every feature a portal domain can switch on, with its stable id.
 * Ids are stored in the database and used in the API, so they never change.
 */

export type UserType = 'customer' | 'carrier';

export type FeatureGroup =
  | 'Account'
  | 'Reports'
  | 'Charts'
  | 'Carrier'
  | 'Routing'
  | 'Numbers'
  | 'Authentication'
  | 'Media'
  | 'Billing'
  | 'Monitoring'
  | 'Class 5';

export interface FeatureDef {
  id: string;
  label: string;
  group: FeatureGroup;
  description: string;
  /** A modifier only takes effect when its parent is effective. */
  parent?: string;
  userTypes: readonly UserType[];
}

const both = ['customer', 'carrier'] as const;
const customer = ['customer'] as const;
const carrier = ['carrier'] as const;

export const FEATURES = [
  {
    id: 'balance',
    label: 'Balance',
    group: 'Account',
    description: 'Shows the account balance, debit limit and available credit.',
    userTypes: both,
  },
  {
    id: 'cdr',
    label: 'CDR',
    group: 'Reports',
    description: 'Call detail records: search, filter and download every call attempt.',
    userTypes: both,
  },
  {
    id: 'breakout',
    label: 'Breakout',
    group: 'Reports',
    description: 'Traffic per destination, day or hour: attempts, ASR, ACD, minutes and charges.',
    userTypes: both,
  },
  {
    id: 'latest_calls',
    label: 'Latest Calls',
    group: 'Reports',
    description: 'Recent call attempts with SIP ladder, quality data and a routing simulator.',
    userTypes: customer,
  },
  {
    id: 'cli',
    label: 'CLI',
    group: 'Routing',
    description: 'Caller ID rules applied to the account (forced or allow-list).',
    userTypes: customer,
  },
  {
    id: 'customer_acd',
    label: 'ACD chart',
    group: 'Charts',
    description: 'Average call duration over time.',
    userTypes: customer,
  },
  {
    id: 'customer_asr',
    label: 'ASR chart',
    group: 'Charts',
    description: 'Answer-seizure ratio over time.',
    userTypes: customer,
  },
  {
    id: 'customer_cps',
    label: 'CPS chart',
    group: 'Charts',
    description: 'Call attempts per second over time.',
    userTypes: customer,
  },
  {
    id: 'customer_channels',
    label: 'Channels chart',
    group: 'Charts',
    description: 'Concurrent calls over time.',
    userTypes: customer,
  },
  {
    id: 'customer_dtmf',
    label: 'DTMF chart',
    group: 'Charts',
    description: 'Share of connected calls with DTMF over time.',
    userTypes: customer,
  },
  {
    id: 'carrier_cps',
    label: 'Carrier CPS chart',
    group: 'Carrier',
    description: 'Per-carrier call attempts per second.',
    userTypes: both,
  },
  {
    id: 'carrier_channels',
    label: 'Carrier channels chart',
    group: 'Carrier',
    description: 'Per-carrier concurrent calls.',
    userTypes: both,
  },
  {
    id: 'carrier_dtmf',
    label: 'Carrier DTMF chart',
    group: 'Carrier',
    description: 'Per-carrier DTMF share.',
    userTypes: both,
  },
  {
    id: 'carrier_portal',
    label: 'Carrier portal',
    group: 'Carrier',
    description: 'Lets carriers log in and see their own traffic on this domain.',
    userTypes: carrier,
  },
  {
    id: 'rate_cards',
    label: 'Rate cards',
    group: 'Billing',
    description: 'View and download the rate cards assigned to the account.',
    userTypes: both,
  },
  {
    id: 'did',
    label: 'DIDs',
    group: 'Numbers',
    description: 'Numbers assigned to the account and where they ring.',
    userTypes: customer,
  },
  {
    id: 'did_editable',
    label: 'Edit DIDs',
    group: 'Numbers',
    description: 'Lets the customer change DID destinations.',
    parent: 'did',
    userTypes: customer,
  },
  {
    id: 'did_destination_lock',
    label: 'DID destination lock',
    group: 'Numbers',
    description: 'Lets the customer lock a DID destination against changes.',
    parent: 'did',
    userTypes: customer,
  },
  {
    id: 'did_tags',
    label: 'DID tags',
    group: 'Numbers',
    description: 'Lets the customer tag DIDs.',
    parent: 'did',
    userTypes: customer,
  },
  {
    id: 'ip_auth_editable',
    label: 'IP authentication',
    group: 'Authentication',
    description: 'Lets the customer manage IP addresses allowed to send traffic.',
    userTypes: customer,
  },
  {
    id: 'sip_auth_editable',
    label: 'SIP authentication',
    group: 'Authentication',
    description: 'Lets the customer manage SIP users and passwords.',
    userTypes: customer,
  },
  {
    id: 'user_registration',
    label: 'User registrations',
    group: 'Authentication',
    description: 'Live SIP registrations of the account.',
    userTypes: customer,
  },
  { id: 'queue', label: 'Queues', group: 'Class 5', description: 'Call queues.', userTypes: customer },
  {
    id: 'audio',
    label: 'Audio',
    group: 'Media',
    description: 'Upload and manage audio prompts.',
    userTypes: customer,
  },
  {
    id: 'interconnect_info',
    label: 'Interconnect info',
    group: 'Routing',
    description: 'Addresses and settings for sending and receiving traffic.',
    userTypes: both,
  },
  {
    id: 'packages',
    label: 'Packages',
    group: 'Billing',
    description: 'Bundles and recurring packages on the account.',
    userTypes: customer,
  },
  {
    id: 'show_rtp_servers',
    label: 'Show RTP servers',
    group: 'Routing',
    description: 'Adds the media (RTP) servers to the interconnect info.',
    parent: 'interconnect_info',
    userTypes: both,
  },
  {
    id: 'routes_editable',
    label: 'Routes',
    group: 'Routing',
    description: 'Lets the customer view and edit route limits.',
    userTypes: customer,
  },
  {
    id: 'summary',
    label: 'Summary',
    group: 'Reports',
    description: 'Hourly, daily and monthly traffic summaries.',
    userTypes: both,
  },
  {
    id: 'data_management',
    label: 'Data management',
    group: 'Class 5',
    description: 'Key/value and lead-set tables used by call scripts.',
    userTypes: customer,
  },
  {
    id: 'route_public_note',
    label: 'Route public note',
    group: 'Routing',
    description: 'Shows the public note on each route.',
    parent: 'routes_editable',
    userTypes: customer,
  },
  {
    id: 'recording',
    label: 'Recordings',
    group: 'Media',
    description: 'Listen to call recordings.',
    userTypes: customer,
  },
  {
    id: 'download_recording',
    label: 'Download recordings',
    group: 'Media',
    description: 'Lets the customer download recordings.',
    parent: 'recording',
    userTypes: customer,
  },
  {
    id: 'invoice',
    label: 'Invoices',
    group: 'Billing',
    description: 'Invoices with PDF download.',
    userTypes: both,
  },
  {
    id: 'status',
    label: 'Status',
    group: 'Monitoring',
    description: 'Service status components and incidents.',
    userTypes: both,
  },
  {
    id: 'public_status',
    label: 'Public status page',
    group: 'Monitoring',
    description: 'Makes the status page visible without login.',
    parent: 'status',
    userTypes: both,
  },
  {
    id: 'alert',
    label: 'Alerts',
    group: 'Monitoring',
    description: 'Balance and traffic-quality alerts.',
    userTypes: customer,
  },
  {
    id: 'editable_balance_alert',
    label: 'Edit balance alert',
    group: 'Monitoring',
    description: 'Lets the customer change the balance alert threshold.',
    parent: 'alert',
    userTypes: customer,
  },
  {
    id: 'payments',
    label: 'Payments',
    group: 'Billing',
    description: 'Payment history and online top-up.',
    userTypes: customer,
  },
  {
    id: 'pending_bank_payments',
    label: 'Pending bank payments',
    group: 'Billing',
    description: 'Lets the customer announce a bank transfer, pending until confirmed.',
    parent: 'payments',
    userTypes: customer,
  },
  {
    id: 'block_paypal',
    label: 'Block PayPal',
    group: 'Billing',
    description: 'Removes PayPal as a payment method.',
    parent: 'payments',
    userTypes: customer,
  },
  {
    id: 'block_stripe',
    label: 'Block Stripe',
    group: 'Billing',
    description: 'Removes Stripe as a payment method.',
    parent: 'payments',
    userTypes: customer,
  },
  {
    id: 'voucher',
    label: 'Vouchers',
    group: 'Billing',
    description: 'Redeem single-use voucher codes for credit.',
    userTypes: customer,
  },
  {
    id: 'dialog',
    label: 'Dialog',
    group: 'Monitoring',
    description: 'Live calls in progress.',
    userTypes: customer,
  },
  {
    id: 'ai_agent',
    label: 'AI agents',
    group: 'Class 5',
    description: 'Voice AI agents answering calls.',
    userTypes: customer,
  },
  {
    id: 'app',
    label: 'Apps',
    group: 'Class 5',
    description: 'Call-control applications.',
    userTypes: customer,
  },
  {
    id: 'conference',
    label: 'Conference',
    group: 'Class 5',
    description: 'Conference rooms.',
    userTypes: customer,
  },
  { id: 'ivr', label: 'IVR', group: 'Class 5', description: 'Interactive voice menus.', userTypes: customer },
  { id: 'group', label: 'Groups', group: 'Class 5', description: 'Ring groups.', userTypes: customer },
] as const satisfies readonly FeatureDef[];

export type FeatureId = (typeof FEATURES)[number]['id'];

export const FEATURE_IDS: readonly FeatureId[] = FEATURES.map((f) => f.id);

const byId = new Map<string, FeatureDef>(FEATURES.map((f) => [f.id, f]));

/** Looks a feature up by id; undefined for an unknown id. */
export function getFeature(id: string): FeatureDef | undefined {
  return byId.get(id);
}

/** True when the string is a registered feature id. */
export function isFeatureId(id: string): id is FeatureId {
  return byId.has(id);
}

export type AccessReason =
  | 'domain_default'
  | 'domain_default_off'
  | 'show'
  | 'hide'
  | 'parent_off'
  | 'carrier_portal_off'
  | 'not_for_user_type';

export interface FeatureAccess {
  id: FeatureId;
  effective: boolean;
  reason: AccessReason;
}

export interface AccessInput {
  userType: UserType;
  /** Domain defaults; a missing id counts as off. */
  domainFeatures: Partial<Record<string, boolean>>;
  show: readonly string[];
  hide: readonly string[];
}

/**
 * Effective access per SPEC section 3: on if (domain default on and not hidden) or shown;
 * a modifier also needs its parent; carriers need the domain's carrier_portal.
 * Show wins over Hide when a feature is in both lists (an explicit grant is the stronger intent).
 */
export function resolveAccess(input: AccessInput): FeatureAccess[] {
  const show = new Set(input.show);
  const hide = new Set(input.hide);
  const own = new Map<string, FeatureAccess>();
  for (const f of FEATURES) {
    let effective: boolean;
    let reason: AccessReason;
    if (show.has(f.id)) {
      effective = true;
      reason = 'show';
    } else if (hide.has(f.id)) {
      effective = false;
      reason = 'hide';
    } else if (input.domainFeatures[f.id] === true) {
      effective = true;
      reason = 'domain_default';
    } else {
      effective = false;
      reason = 'domain_default_off';
    }
    own.set(f.id, { id: f.id, effective, reason });
  }
  const carrierOff = input.userType === 'carrier' && own.get('carrier_portal')?.effective !== true;
  return FEATURES.map((f): FeatureAccess => {
    const mine = own.get(f.id)!;
    if (carrierOff) return { id: f.id, effective: false, reason: 'carrier_portal_off' };
    if (!(f.userTypes as readonly UserType[]).includes(input.userType)) {
      return { id: f.id, effective: false, reason: 'not_for_user_type' };
    }
    const parent = 'parent' in f ? f.parent : undefined;
    if (mine.effective && parent && own.get(parent)?.effective !== true) {
      return { id: f.id, effective: false, reason: 'parent_off' };
    }
    return mine;
  });
}

/** The ids a contact may use. */
export function effectiveFeatures(input: AccessInput): FeatureId[] {
  return resolveAccess(input)
    .filter((a) => a.effective)
    .map((a) => a.id);
}

export const FEATURE_GROUPS: readonly FeatureGroup[] = [
  'Account',
  'Reports',
  'Charts',
  'Carrier',
  'Routing',
  'Numbers',
  'Authentication',
  'Media',
  'Billing',
  'Monitoring',
  'Class 5',
];

export const CDR_FIELDS = [
  'call_id',
  'start_time',
  'company_id',
  'route_id',
  'rate_card_id',
  'cli',
  'tech_prefix',
  'dest_number',
  'lrn',
  'direction',
  'auth_type',
  'auth_ref',
  'source_ip',
  'duration',
  'billed_duration',
  'ring_duration',
  'pdd_ms',
  'sip_code',
  'sip_reason',
  'release_reason',
  'dtmf',
  'dest_code',
  'dest_name',
  'rate',
  'connect_cost',
  'charge',
  'currency',
  'carrier_id',
  'carrier_rate_card_id',
  'carrier_dest_code',
  'carrier_dest_name',
  'carrier_cost',
  'carrier_currency',
  'rtp_server',
  'recording',
  'meta',
] as const;

/** CDR fields that describe the supplier side; never shown to customer users. */
export const CARRIER_SIDE_CDR_FIELDS: readonly string[] = [
  'carrier_id',
  'carrier_rate_card_id',
  'carrier_dest_code',
  'carrier_dest_name',
  'carrier_cost',
  'carrier_currency',
];

export const BREAKOUT_COLUMNS = [
  'dest_code',
  'dest_name',
  'attempts',
  'connected',
  'asr',
  'acd',
  'duration',
  'billed_duration',
  'charge',
  'dtmf_calls',
  'dtmf_pct',
  'pdd_ms',
] as const;
