// A real OpenID Connect provider for the sign-on tests: panva's oidc-provider (OpenID
// Certified), pinned in package.json, on loopback. Started by tests/sso/provider.py with a JSON
// file naming the client and the accounts; never used outside the tests.
//
//   node tests/sso/oidc_provider.mjs PORT CONFIG.json
//
// CONFIG: {"client": {"client_id", "client_secret", "redirect_uris": [...]},
//          "accounts": {"<subject>": {"email": "..."}}}
// The development login pages (devInteractions) take any password: the accounts are the
// test's, and who may sign in is decided by Equitable, which is what is under test.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const [port, configPath] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configPath, 'utf8'));

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ ...config.client, grant_types: ['authorization_code'], response_types: ['code'] }],
  // The login typed on the development page is the account's subject (`sub`).
  async findAccount(ctx, id) {
    const account = config.accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: account.email, email_verified: true };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  cookies: { keys: ['equitable-test-provider-only'] },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
});
provider.proxy = false;
provider.on('server_error', (ctx, error) => process.stderr.write(`server_error: ${error.stack}\n`));
provider.listen(Number(port), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
