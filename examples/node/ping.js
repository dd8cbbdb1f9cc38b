// Signs a short-lived JWT with the partner's private key (jsonwebtoken) and calls GET /v1/ping.
//
//   JUSTGOLD_URL         base URL of the API (default http://127.0.0.1:8080)
//   JUSTGOLD_PARTNER_ID  your partner id; goes into "iss"
//   JUSTGOLD_KEY_FILE    path of your private key in PEM (RSA, or EC P-256)
//   JUSTGOLD_KID         optional: the kid JustGold gave your public key
//   JUSTGOLD_SEND_TWICE  set to 1 to send the same token twice (the second call is refused as replayed_token)
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const jwt = require('jsonwebtoken');

function setting(name, fallback) {
  const value = process.env[name] || fallback;
  if (!value) {
    console.error(`Set ${name}.`);
    process.exit(2);
  }
  return value;
}

const baseUrl = setting('JUSTGOLD_URL', 'http://127.0.0.1:8080').replace(/\/+$/, '');
const partnerId = setting('JUSTGOLD_PARTNER_ID');
const privateKey = crypto.createPrivateKey(fs.readFileSync(setting('JUSTGOLD_KEY_FILE')));
const kid = process.env.JUSTGOLD_KID;

// RS256 for an RSA key, ES256 for an EC P-256 key (ES384 for P-384).
function algorithmFor(key) {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    return key.asymmetricKeyDetails.namedCurve === 'secp384r1' ? 'ES384' : 'ES256';
  }
  throw new Error(`Unsupported key type ${key.asymmetricKeyType}`);
}

// A fresh token for every call: a new random jti and a lifetime of 60 seconds.
function makeToken() {
  const options = {
    algorithm: algorithmFor(privateKey),
    issuer: partnerId,
    audience: 'justgold-api',
    subject: 'ping-example',
    expiresIn: 60,
    jwtid: crypto.randomUUID(),
  };
  if (kid) options.keyid = kid;
  return jwt.sign({}, privateKey, options); // jsonwebtoken adds "iat" itself
}

async function ping(token) {
  const response = await fetch(`${baseUrl}/v1/ping`, {
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(10000),
  });
  const body = await response.text();
  console.log(`${response.status} ${body}`);
  const challenge = response.headers.get('www-authenticate');
  if (challenge) console.log(`WWW-Authenticate: ${challenge}`);
  return response.status;
}

async function main() {
  const token = makeToken();
  const status = await ping(token);
  if (process.env.JUSTGOLD_SEND_TWICE === '1') {
    await ping(token); // the same token again: refused with 401 replayed_token
  }
  process.exitCode = status === 200 ? 0 : 1;
}

main().catch((error) => {
  console.error(error.message);
  process.exitCode = 1;
});
