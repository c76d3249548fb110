/** A real SMTP listener for tests: captures parsed messages, can require a login, refuse, or go down and up. */
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  from: string;
  to: string;
  user: string | null;
  subject: string;
  text: string;
  html: string;
  headerFrom: string;
}

export interface SmtpCatcher {
  port: number;
  messages: CapturedMail[];
  /** Resolves with the first captured message matching, waiting for it if needed. */
  waitFor(pred: (m: CapturedMail) => boolean): Promise<CapturedMail>;
  /** Stops listening (connections are refused) until start() again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpCatcher(
  opts: { username?: string; password?: string; refuse?: (to: string) => string | null; port?: number } = {},
): Promise<SmtpCatcher> {
  const messages: CapturedMail[] = [];
  const waiters: Array<{ pred: (m: CapturedMail) => boolean; resolve: (m: CapturedMail) => void }> = [];
  const make = () =>
    new SMTPServer({
      authOptional: !opts.username,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _s, cb) {
        if (auth.username === opts.username && auth.password === opts.password)
          cb(null, { user: auth.username });
        else cb(new Error('Bad credentials'));
      },
      onRcptTo(address, _s, cb) {
        const refusal = opts.refuse?.(address.address);
        if (refusal) {
          const err = new Error(refusal) as Error & { responseCode: number };
          err.responseCode = 550;
          cb(err);
        } else cb();
      },
      onData(stream, session, cb) {
        simpleParser(stream)
          .then((parsed) => {
            const mail: CapturedMail = {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo[0]?.address ?? '',
              user: (session.user as string | undefined) ?? null,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              headerFrom: parsed.from?.text ?? '',
            };
            messages.push(mail);
            for (const w of [...waiters]) {
              if (w.pred(mail)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(mail);
              }
            }
            cb(null);
          })
          .catch((err: Error) => cb(err));
      },
    });
  let server = make();
  let port = opts.port ?? 0;
  const listen = () =>
    new Promise<void>((resolve) =>
      server.listen(port, '127.0.0.1', () => {
        port = (server.server.address() as AddressInfo).port;
        resolve();
      }),
    );
  await listen();
  const catcher: SmtpCatcher = {
    get port() {
      return port;
    },
    messages,
    waitFor(pred) {
      const found = messages.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
    async start() {
      server = make();
      await listen();
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return catcher;
}
