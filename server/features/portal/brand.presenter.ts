/** The part of a brand anyone may see on its host (login page, page chrome). */
import type { PublicBrand } from '../../../common/api.ts';
import type { Brand } from '../../plugins/sites.ts';

export function publicBrand(b: Brand): PublicBrand {
  return {
    brand_name: b.brandName,
    logo_url: b.logoFileId ? `/brand/logo?v=${b.logoFileId.slice(0, 8)}` : null,
    footer: b.footer,
    customer_signup: b.customerSignup,
    carrier_signup: b.carrierSignup,
    has_custom_css: b.customCss.trim() !== '',
    has_custom_js: b.customJs.trim() !== '',
  };
}

/** The brand's custom script as an external https URL, when that is what the operator entered. */
export function externalScriptUrl(customJs: string): string | null {
  const s = customJs.trim();
  if (!/^https:\/\/\S+$/.test(s)) return null;
  try {
    const u = new URL(s);
    return u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
