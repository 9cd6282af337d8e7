// Where mail goes: one SMTP URL and a From address. Read from the environment for now; this is the
// one function to wire to `config get/set` later (flags win over env, env over config).
import { invalid } from '../errors.js';

export interface SmtpSettings {
  /** The URL as given, for nodemailer (host, port, TLS, user and password in one). */
  url: string;
  /** The URL with its password hidden, for messages. */
  display: string;
  from: string;
  host: string;
  port: number;
  secure: boolean;
}

const DEFAULT_FROM = 'boxoffice@localhost';

/** The SMTP settings (BOXOFFICE_SMTP_URL, BOXOFFICE_SMTP_FROM), or null when no server is set. */
export function smtpSettings(env: NodeJS.ProcessEnv): SmtpSettings | null {
  const raw = env.BOXOFFICE_SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('BOXOFFICE_SMTP_URL is not a URL', 'use smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw invalid(`BOXOFFICE_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`, 'use smtp://user:pass@host:587 or smtps://user:pass@host:465');
  }
  if (!url.hostname) throw invalid('BOXOFFICE_SMTP_URL names no host', 'use smtp://user:pass@host:587');
  const secure = url.protocol === 'smtps:';
  const display = new URL(raw);
  if (display.password) display.password = '***';
  return {
    url: raw,
    display: display.toString(),
    from: env.BOXOFFICE_SMTP_FROM?.trim() || DEFAULT_FROM,
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
  };
}

/** The domain part of an address such as `Box Office <tickets@theatre.pt>`, for Message-IDs. */
export function addressDomain(address: string): string | null {
  const m = /@([A-Za-z0-9.-]+)>?\s*$/.exec(address.trim());
  return m ? m[1].toLowerCase() : null;
}
