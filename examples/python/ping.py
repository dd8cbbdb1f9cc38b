#!/usr/bin/env python3
"""Signs a short-lived JWT with the partner's private key (PyJWT) and calls GET /v1/ping.

  JUSTGOLD_URL         base URL of the API (default http://127.0.0.1:8080)
  JUSTGOLD_PARTNER_ID  your partner id; goes into "iss"
  JUSTGOLD_KEY_FILE    path of your private key in PEM (RSA, or EC P-256)
  JUSTGOLD_KID         optional: the kid JustGold gave your public key
  JUSTGOLD_SEND_TWICE  set to 1 to send the same token twice (the second call is refused as replayed_token)

Needs PyJWT with the cryptography package: `pip install "pyjwt[crypto]"`, or on Debian
`apt-get install python3-jwt python3-cryptography`.
"""
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key


def setting(name, fallback=None):
    value = os.environ.get(name) or fallback
    if not value:
        sys.exit(f"Set {name}.")
    return value


def algorithm_for(key):
    """RS256 for an RSA key, ES256 for an EC P-256 key (ES384 for P-384)."""
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return "ES384" if key.curve.name == "secp384r1" else "ES256"
    raise ValueError("Unsupported key type")


def make_token(partner_id, private_key, kid):
    """A fresh token for every call: a new random jti and a lifetime of 60 seconds."""
    now = int(time.time())
    claims = {
        "iss": partner_id,
        "sub": "ping-example",
        "aud": "justgold-api",
        "iat": now,
        "exp": now + 60,
        "jti": str(uuid.uuid4()),
    }
    headers = {"kid": kid} if kid else None
    return jwt.encode(claims, private_key, algorithm=algorithm_for(private_key), headers=headers)


def ping(base_url, token):
    request = urllib.request.Request(f"{base_url}/v1/ping", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, body, challenge = response.status, response.read().decode(), None
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
        challenge = error.headers.get("WWW-Authenticate")
    print(f"{status} {body}")
    if challenge:
        print(f"WWW-Authenticate: {challenge}")
    return status


def main():
    base_url = setting("JUSTGOLD_URL", "http://127.0.0.1:8080").rstrip("/")
    partner_id = setting("JUSTGOLD_PARTNER_ID")
    with open(setting("JUSTGOLD_KEY_FILE"), "rb") as pem:
        private_key = load_pem_private_key(pem.read(), password=None)
    kid = os.environ.get("JUSTGOLD_KID")

    token = make_token(partner_id, private_key, kid)
    status = ping(base_url, token)
    if os.environ.get("JUSTGOLD_SEND_TWICE") == "1":
        ping(base_url, token)  # the same token again: refused with 401 replayed_token
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
