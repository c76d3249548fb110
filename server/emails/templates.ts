/**
 * Transactional mail templates. Each renders a subject, a plain-text body and an HTML body inside the
 * brand's layout (name, logo, footer). Every value is escaped in HTML; links are the only markup callers
 * pass, and they pass URLs, never HTML.
 */

export interface Brand {
  name: string;
  /** Absolute URL of the brand's logo, or null. */
  logoUrl: string | null;
  footer: string;
  /** Absolute URL of the brand's portal (scheme, host and port). */
  portalUrl: string;
}

/** One paragraph of text, or a call to action (button in HTML, URL on its own line in text). */
export type Block = { p: string } | { button: string; url: string } | { code: string };

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

export type TemplateFn = (brand: Brand, vars: Record<string, string>) => { subject: string; blocks: Block[] };

const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function need(vars: Record<string, string>, name: string): string {
  const v = vars[name];
  if (v === undefined) throw new Error(`template variable ${name} missing`);
  return v;
}

/** Templates by name; features add theirs here. */
export const templates: Record<string, TemplateFn> = {
  test: (brand) => ({
    subject: `${brand.name}: test email`,
    blocks: [{ p: `This is a test email from ${brand.name}. Your SMTP settings work.` }],
  }),
  invite: (brand, v) => ({
    subject: `${brand.name}: your portal account is ready`,
    blocks: [
      { p: `Hello ${need(v, 'name')},` },
      {
        p: `An account was created for you on the ${brand.name} portal for ${need(v, 'company')}. Choose a password to sign in.`,
      },
      { button: 'Set your password', url: need(v, 'url') },
      { p: 'This link works once and expires in 7 days.' },
    ],
  }),
  password_reset: (brand, v) => ({
    subject: `${brand.name}: reset your password`,
    blocks: [
      { p: `Hello ${need(v, 'name')},` },
      { p: `Someone asked to reset the password of your ${brand.name} portal account.` },
      { button: 'Choose a new password', url: need(v, 'url') },
      {
        p: 'This link works once and expires in 1 hour. Setting a new password signs you out everywhere. If you did not ask for this, ignore this email: your password stays as it is.',
      },
    ],
  }),
  verify_email: (brand, v) => ({
    subject: `${brand.name}: confirm your email address`,
    blocks: [
      { p: `Hello ${need(v, 'name')},` },
      { p: `Thank you for signing up with ${brand.name}. Confirm your email address to finish and sign in.` },
      { button: 'Confirm my email address', url: need(v, 'url') },
      {
        p: `This link works once and expires in ${need(v, 'hours')} hours. If you did not sign up, ignore this email: no account will be usable without it.`,
      },
    ],
  }),
  welcome: (brand, v) => ({
    subject: `Welcome to ${brand.name}`,
    blocks: [
      { p: `Hello ${need(v, 'name')},` },
      { p: `Your ${brand.name} account is ready. Sign in to see your balance, rates and traffic.` },
      { button: 'Sign in', url: need(v, 'url') },
    ],
  }),
  signup_notice: (brand, v) => ({
    subject: `${brand.name}: new ${need(v, 'type')} sign-up on ${need(v, 'brand')}: ${need(v, 'company')}`,
    blocks: [
      {
        p: `${need(v, 'contact')} <${need(v, 'email')}> signed up ${need(v, 'company')} as a ${v.type} on ${v.brand}.`,
      },
      {
        p:
          need(v, 'status') === 'pending_approval'
            ? 'The account waits for your approval in the Control Panel.'
            : 'The account is active (its template customer is active).',
      },
      { button: 'Review sign-ups', url: need(v, 'url') },
    ],
  }),
  notice: (brand, v) => ({
    subject: `${brand.name}: ${need(v, 'title')}`,
    blocks: [{ p: need(v, 'message') }, ...(v.url ? [{ button: v.action ?? 'Open', url: v.url }] : [])],
  }),
};

/** Renders a template in the brand's layout. */
export function renderMail(name: string, brand: Brand, vars: Record<string, string>): Rendered {
  const tpl = templates[name];
  if (!tpl) throw new Error(`unknown mail template ${name}`);
  const { subject, blocks } = tpl(brand, vars);
  const textBody = blocks
    .map((b) => ('p' in b ? b.p : 'code' in b ? `    ${b.code}` : `${b.button}: ${b.url}`))
    .join('\n\n');
  const text = `${textBody}\n\n-- \n${brand.name}\n${brand.portalUrl}${brand.footer ? `\n${brand.footer}` : ''}\n`;
  const htmlBlocks = blocks
    .map((b) =>
      'p' in b
        ? `<p style="margin:0 0 16px;line-height:1.5">${esc(b.p).replace(/\n/g, '<br>')}</p>`
        : 'code' in b
          ? `<p style="margin:0 0 16px;font:600 20px/1.4 monospace;letter-spacing:2px">${esc(b.code)}</p>`
          : `<p style="margin:24px 0"><a href="${esc(b.url)}" style="background:#1f4fd1;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${esc(b.button)}</a></p>
<p style="margin:0 0 16px;font-size:12px;color:#555">Or open this link: <a href="${esc(b.url)}">${esc(b.url)}</a></p>`,
    )
    .join('\n');
  const header = brand.logoUrl
    ? `<img src="${esc(brand.logoUrl)}" alt="${esc(brand.name)}" style="max-height:48px;max-width:240px">`
    : `<strong style="font-size:20px">${esc(brand.name)}</strong>`;
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f4f5f7;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1b1f24">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" style="max-width:560px;width:100%;background:#fff;border-radius:8px">
<tr><td style="padding:24px 32px;border-bottom:1px solid #e5e7eb"><a href="${esc(brand.portalUrl)}" style="color:inherit;text-decoration:none">${header}</a></td></tr>
<tr><td style="padding:24px 32px">
${htmlBlocks}
</td></tr>
<tr><td style="padding:16px 32px;border-top:1px solid #e5e7eb;font-size:12px;color:#555;white-space:pre-line">${esc(brand.footer || brand.name)}</td></tr>
</table></td></tr></table>
</body></html>
`;
  return { subject, text, html };
}
