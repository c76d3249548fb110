import { describe, expect, it } from 'vitest';
import { effectiveFeatures, FEATURE_IDS, FEATURES, getFeature, resolveAccess } from './features.ts';

const SPEC_IDS =
  `balance cdr breakout latest_calls cli customer_acd customer_asr customer_cps customer_channels
customer_dtmf carrier_cps carrier_channels carrier_dtmf carrier_portal rate_cards did did_editable
did_destination_lock did_tags ip_auth_editable sip_auth_editable user_registration queue audio interconnect_info
packages show_rtp_servers routes_editable summary data_management route_public_note recording download_recording
invoice status public_status alert editable_balance_alert payments pending_bank_payments block_paypal block_stripe
voucher dialog ai_agent app conference ivr group`.split(/\s+/);

const access = (
  domain: string[],
  opts: { show?: string[]; hide?: string[]; userType?: 'customer' | 'carrier' } = {},
) =>
  resolveAccess({
    userType: opts.userType ?? 'customer',
    domainFeatures: Object.fromEntries(domain.map((id) => [id, true])),
    show: opts.show ?? [],
    hide: opts.hide ?? [],
  });
const stateOf = (list: ReturnType<typeof access>, id: string) => list.find((a) => a.id === id)!;

describe('feature registry', () => {
  it('holds exactly the ids of the specification, each once', () => {
    expect([...FEATURE_IDS].sort()).toEqual([...SPEC_IDS].sort());
    expect(new Set(FEATURE_IDS).size).toBe(FEATURE_IDS.length);
  });

  it('declares the parents of every modifier', () => {
    const parents: Record<string, string> = {
      did_editable: 'did',
      did_destination_lock: 'did',
      did_tags: 'did',
      download_recording: 'recording',
      public_status: 'status',
      editable_balance_alert: 'alert',
      pending_bank_payments: 'payments',
      block_paypal: 'payments',
      block_stripe: 'payments',
      route_public_note: 'routes_editable',
      show_rtp_servers: 'interconnect_info',
    };
    for (const f of FEATURES) expect(getFeature(f.id)?.parent, f.id).toBe(parents[f.id]);
  });
});

describe('effective access', () => {
  it('follows the domain default', () => {
    const a = access(['balance']);
    expect(stateOf(a, 'balance')).toMatchObject({ effective: true, reason: 'domain_default' });
    expect(stateOf(a, 'cdr')).toMatchObject({ effective: false, reason: 'domain_default_off' });
  });

  it('Hide turns a default off and Show turns one on', () => {
    const a = access(['balance', 'cdr'], { hide: ['cdr'], show: ['voucher'] });
    expect(stateOf(a, 'cdr')).toMatchObject({ effective: false, reason: 'hide' });
    expect(stateOf(a, 'voucher')).toMatchObject({ effective: true, reason: 'show' });
  });

  it('Show wins when a feature is in both lists', () => {
    expect(stateOf(access([], { show: ['cdr'], hide: ['cdr'] }), 'cdr')).toMatchObject({
      effective: true,
      reason: 'show',
    });
  });

  it('a modifier needs its parent', () => {
    expect(stateOf(access(['did_editable']), 'did_editable')).toMatchObject({
      effective: false,
      reason: 'parent_off',
    });
    expect(stateOf(access(['did', 'did_editable']), 'did_editable').effective).toBe(true);
    expect(stateOf(access(['did', 'did_editable'], { hide: ['did'] }), 'did_editable').reason).toBe(
      'parent_off',
    );
    expect(stateOf(access(['did_editable'], { show: ['did'] }), 'did_editable').effective).toBe(true);
    expect(
      effectiveFeatures({ userType: 'customer', domainFeatures: { block_paypal: true }, show: [], hide: [] }),
    ).toEqual([]);
  });

  it('carriers see nothing unless carrier_portal is effective', () => {
    const off = access(['cdr', 'breakout'], { userType: 'carrier' });
    expect(off.every((a) => !a.effective && a.reason === 'carrier_portal_off')).toBe(true);
    const on = access(['cdr', 'carrier_portal', 'latest_calls'], { userType: 'carrier' });
    expect(stateOf(on, 'cdr').effective).toBe(true);
    expect(stateOf(on, 'latest_calls')).toMatchObject({ effective: false, reason: 'not_for_user_type' });
    expect(stateOf(access(['cdr'], { userType: 'carrier', show: ['carrier_portal'] }), 'cdr').effective).toBe(
      true,
    );
    expect(
      stateOf(access(['cdr', 'carrier_portal'], { userType: 'carrier', hide: ['carrier_portal'] }), 'cdr')
        .effective,
    ).toBe(false);
  });

  it('customers never get the carrier portal switch itself', () => {
    expect(stateOf(access(['carrier_portal']), 'carrier_portal').effective).toBe(false);
  });
});
