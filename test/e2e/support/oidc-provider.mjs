// A real OpenID Connect provider for the single sign-on e2e (oidc-provider, the certified OP by
// the author of openid-client), on 127.0.0.1. Its development log-in form accepts any user name;
// the account's e-mail and groups come from OIDC_ACCOUNTS (JSON: { "<login>": { email, groups } }).
// Prints "listening <port>" when ready. Usage: node oidc-provider.mjs <port> <redirect_uri> <secret>
import Provider from 'oidc-provider';

const [port, redirectUri, secret] = process.argv.slice(2);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'tradelane',
      client_secret: secret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  pkce: { required: () => true },
  cookies: { keys: ['test-cookie-key-1'] },
  async findAccount(_ctx, sub) {
    const a = accounts[sub];
    if (!a) return undefined;
    return {
      accountId: sub,
      async claims() {
        return { sub, email: a.email, email_verified: true, name: a.name ?? sub, groups: a.groups ?? [] };
      },
    };
  },
});
// Why a request was refused, for the test's failure message (the test keeps this process's output).
for (const event of ['grant.error', 'server_error', 'authorization.error'])
  provider.on(event, (_ctx, err) =>
    console.error(`${event}: ${err.message}${err.error_detail ? ` (${err.error_detail})` : ''}`),
  );
provider.listen(Number(port), '127.0.0.1', () => console.log(`listening ${port}`));
