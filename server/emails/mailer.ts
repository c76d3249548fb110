/** Brand-aware outbound mail: the brand's SMTP when configured, else the platform's. */
import nodemailer from 'nodemailer';
import type { SmtpSecurity } from '../../common/api.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string | null;
  password: string | null;
  from: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface SendResult {
  ok: boolean;
  /** The SMTP server's final answer, or the error it gave. */
  message: string;
}

export interface Mailer {
  send(smtp: SmtpConfig, msg: MailMessage): Promise<SendResult>;
}

/** Parses SMTP_URL (smtp:// or smtps://user:pass@host:port) into a config. */
export function smtpFromUrl(url: string, from: string): SmtpConfig {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    security:
      u.protocol === 'smtps:' ? 'tls' : u.searchParams.get('starttls') === 'required' ? 'starttls' : 'none',
    username: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    from,
  };
}

/** Sends through nodemailer, one short-lived transport per message. */
export function createMailer(): Mailer {
  return {
    async send(smtp, msg) {
      const transport = nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.security === 'tls',
        requireTLS: smtp.security === 'starttls',
        ignoreTLS: smtp.security === 'none',
        auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 20_000,
      });
      try {
        const info = await transport.sendMail({ from: smtp.from, ...msg });
        return { ok: true, message: info.response };
      } catch (err) {
        const e = err as { response?: string; message: string };
        return { ok: false, message: e.response || e.message };
      } finally {
        transport.close();
      }
    },
  };
}
