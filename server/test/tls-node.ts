/** Helpers for tests of served certificates: TLS handshakes and HTTPS requests to 127.0.0.1 with a chosen SNI. */
import https from 'node:https';
import tls from 'node:tls';

export interface Handshake {
  authorized: boolean;
  subject: string;
  serial: string;
  error: string | null;
}

/** Opens a TLS connection with the given server name and reports the certificate served. */
export function handshake(port: number, servername: string, ca: string): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      resolve({
        authorized: socket.authorized,
        subject: String(cert.subject?.CN ?? ''),
        serial: String(cert.serialNumber ?? '').toUpperCase(),
        error: socket.authorizationError ? String(socket.authorizationError) : null,
      });
      socket.end();
    });
    socket.on('error', reject);
  });
}

/** One HTTPS request with a verified certificate; Host defaults to the server name. */
export function httpsRequest(
  port: number,
  servername: string,
  ca: string,
  path: string,
  host = servername,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port, path, servername, ca, headers: { host }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
