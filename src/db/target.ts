// What --db / BOXOFFICE_DB names: a SQLite file (the default) or a PostgreSQL server by URL.
// Kept free of any driver import: every command asks this before it opens anything.

/** `postgres://` or `postgresql://` (SPEC "Storage"); anything else is a file path. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

/** libpq's parameters that carry a secret: the password, and the one for the client key's file. */
const SECRET_PARAMETERS = ['password', 'sslpassword'];
const SECRET_PARAMETER_VALUE = /([?&](?:ssl)?password=)[^&#]*/gi;

/**
 * The URL as it may be shown: a password replaced by `****` (as `config` masks the SMTP URL's),
 * wherever the URL carries one — after the user name, or as libpq's `password=` parameter — so
 * that no message, log or `--json` output ever carries it (SPEC: a password in the URL is never
 * printed). A file path is returned as it is.
 */
export function displayTarget(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    // Parsed, an @ in an unencoded password can end the host early: `u:pa@ss#x@host` reads as
    // host "ss" and the rest of the password as a fragment. Masked by the last @ below instead.
    if (atAfterHost(target)) throw new Error('ambiguous');
    const url = new URL(target);
    if (url.password) url.password = '****';
    for (const name of SECRET_PARAMETERS) if (url.searchParams.has(name)) url.searchParams.set(name, '****');
    return url.toString();
  } catch {
    // Too broken to parse, often a password with an unencoded / ? or #: everything between the
    // scheme and the LAST @ is the user and password (the host never contains an @).
    const scheme = /^postgres(?:ql)?:\/\//i.exec(target)![0];
    const at = target.lastIndexOf('@');
    if (at < scheme.length) return target.replace(SECRET_PARAMETER_VALUE, '$1****');
    const user = target.slice(scheme.length, at).split(':')[0];
    return `${scheme}${user}:****${target.slice(at)}`.replace(SECRET_PARAMETER_VALUE, '$1****');
  }
}

/**
 * The URL as a command to paste may carry it: with no password at all (a `****` pasted would be
 * taken for the password), which then comes from PGPASSWORD or ~/.pgpass, or is typed back in.
 * Say so next to it when `hadPassword`. A file path (or a URL too broken to parse, already
 * refused elsewhere) is returned as displayTarget() shows it.
 */
export function commandTarget(target: string): { target: string; hadPassword: boolean } {
  if (!isPostgresUrl(target)) return { target, hadPassword: false };
  try {
    if (atAfterHost(target)) throw new Error('ambiguous');
    const url = new URL(target);
    const hadPassword = url.password !== '' || SECRET_PARAMETERS.some((name) => url.searchParams.has(name));
    url.password = '';
    for (const name of SECRET_PARAMETERS) url.searchParams.delete(name);
    return { target: url.toString(), hadPassword };
  } catch {
    return { target: displayTarget(target), hadPassword: true };
  }
}

/**
 * Whether an @ comes after the end of the host part (the first / ? or # after the scheme): then
 * the password holds an unencoded @ together with one of those, and the URL would be read as
 * another host (and print part of the password as its path or fragment).
 */
function atAfterHost(target: string): boolean {
  const rest = target.replace(/^postgres(?:ql)?:\/\//i, '');
  const end = rest.search(/[/?#]/);
  return end >= 0 && rest.slice(end).includes('@');
}

/** Why a postgres:// URL cannot be read, in words a user can act on; undefined when it can. */
export function urlProblem(target: string): string | undefined {
  if (!isPostgresUrl(target)) return undefined;
  if (atAfterHost(target)) {
    return 'the URL cannot be read: it has an @ after the host name. In the password, characters such as @ / ? # % must be percent-encoded (@ is %40, / is %2F, # is %23), or give the password in PGPASSWORD';
  }
  try {
    new URL(target);
    return undefined;
  } catch {
    return 'the URL cannot be read: characters such as / ? # @ % in the password must be percent-encoded (/ is %2F, # is %23), or give the password in PGPASSWORD';
  }
}
