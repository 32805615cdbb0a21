"""A small but real OpenID Connect provider for Convene's tests and browser journey.

Authlib (on Flask) does the protocol: the authorisation code flow with PKCE (S256 required of
every client), ID tokens signed RS256 with a key generated at start and published as JWKS,
discovery at /.well-known/openid-configuration. Users and the one client are given on the
command line; everything is in memory and gone when the process ends.

    python3 provider.py --ready-file /tmp/x/ready --client-id convene --client-secret s3cret \
        --redirect-uri http://127.0.0.1:8080/sign-in/oidc/callback \
        --user 'sam|password|sam.social@northtown.example|true|Sam Social'

It listens on 127.0.0.1 on a free port (or --port) and writes the port to --ready-file once it
accepts connections; it runs until signalled or, with --stop-on-stdin-eof, until its standard
input closes.

With --test-controls it also answers POST /test/next-id-token (JSON {"mode": "expired" |
"foreign-key"}: the next ID token is already expired, or signed with a key its JWKS does not
hold), POST /test/users/<username> (JSON {"email": …, "email_verified": …}), POST
/test/rotate-key (a new signing key and kid) and GET /test/stats (how often the JWKS was
fetched), so tests can make the failures a real provider would only make by accident. It never remembers nonces
(OpenID Connect leaves replay detection to the client, which is what the tests check).
"""

import argparse
import hmac
import html
import json
import os
import secrets
import sys
import threading
import time
from urllib.parse import urlencode

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, Response, jsonify, request
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server


class User:
    def __init__(self, spec):
        username, password, email, verified, name = spec.split("|", 4)
        self.username = username
        self.password = password
        self.sub = "sub-" + username
        self.email = email
        self.email_verified = verified.lower() == "true"
        self.name = name


class Client:
    """The one registered relying party: a confidential client (client secret)."""

    def __init__(self, client_id, client_secret, redirect_uris):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(self.client_secret, client_secret or "")

    def check_endpoint_auth_method(self, method, endpoint):
        if endpoint == "token":
            return method in ("client_secret_basic", "client_secret_post")
        return True

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


class AuthorizationCode:
    def __init__(self, **fields):
        self.__dict__.update(fields)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return ["pwd"]

    def is_expired(self):
        return time.time() > self.auth_time + 600


class RequiredS256(CodeChallenge):
    """PKCE for every client, S256 only (RFC 9700 §2.1.1)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge") or data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


def create_app(args):
    app = Flask(__name__)
    app.config["OAUTH2_TOKEN_EXPIRES_IN"] = {"authorization_code": 600}
    state = {
        "users": {u.username: u for u in (User(s) for s in args.user)},
        "codes": {},
        "next_mode": None,
        "issuer": None,
        "key": RSAKey.generate_key(2048, parameters={"kid": "convene-test-1", "use": "sig", "alg": "RS256"}),
        # Keys published besides the signing key (the ones rotated out).
        "old_keys": [],
        "jwks_requests": 0,
        # Same kid, different key: a signature the published JWKS cannot verify.
        "foreign": RSAKey.generate_key(2048, parameters={"kid": "convene-test-1", "use": "sig", "alg": "RS256"}),
    }
    lock = threading.Lock()
    client = Client(args.client_id, args.client_secret, args.redirect_uri)

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

        def save_authorization_code(self, code, req):
            data = req.payload.data
            with lock:
                state["codes"][code] = AuthorizationCode(
                    code=code, client_id=req.client.client_id, redirect_uri=req.payload.redirect_uri,
                    scope=req.scope, user=req.user, nonce=data.get("nonce"), auth_time=int(time.time()),
                    code_challenge=data.get("code_challenge"), code_challenge_method=data.get("code_challenge_method"))

        def query_authorization_code(self, code, client_):
            with lock:
                item = state["codes"].get(code)
            if item and item.client_id == client_.client_id and not item.is_expired():
                return item
            return None

        def delete_authorization_code(self, authorization_code):
            with lock:
                state["codes"].pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return authorization_code.user

    class IDToken(OpenIDCode):
        def exists_nonce(self, nonce, req):
            return False

        def resolve_client_private_key(self, client_):
            # Asked for after the claims: the mode for this token ends here.
            with lock:
                mode, state["next_mode"] = state["next_mode"], None
            return state["foreign"] if mode == "foreign-key" else state["key"]

        def get_client_algorithm(self, client_):
            return "RS256"

        def get_encode_header(self, client_):
            return {"alg": "RS256", "kid": state["key"].kid}

        def get_client_claims(self, client_):
            now = int(time.time())
            with lock:
                mode = state["next_mode"]
            if mode == "expired":
                return {"iss": state["issuer"], "aud": [client_.client_id], "iat": now - 3600, "exp": now - 1800}
            return {"iss": state["issuer"], "aud": [client_.client_id], "iat": now, "exp": now + 300}

        def generate_user_info(self, user, scope):
            info = UserInfo(sub=user.sub, name=user.name)
            if "email" in scope:
                info["email"] = user.email
                info["email_verified"] = user.email_verified
            return info

    def save_token(token, req):
        pass  # Access tokens are not used by Convene: nothing to keep.

    server = AuthorizationServer(app, query_client=lambda cid: client if cid == client.client_id else None,
                                 save_token=save_token)
    server.register_grant(CodeGrant, [IDToken(require_nonce=True), RequiredS256(required=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        issuer = state["issuer"]
        return jsonify({
            "issuer": issuer,
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "name", "email", "email_verified"],
        })

    @app.get("/jwks")
    def jwks():
        with lock:
            state["jwks_requests"] += 1
            keys = [state["key"]] + state["old_keys"]
        return jsonify({"keys": [k.as_dict(private=False) for k in keys]})

    def login_page(message=""):
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in request.values.items()
            if k not in ("username", "password"))
        note = f'<p id="error" role="alert">{html.escape(message)}</p>' if message else ""
        body = f"""<!doctype html><html lang="en"><head><title>Test directory: sign in</title></head><body>
<h1>Test directory</h1>{note}
<form method="post" action="/authorize">{hidden}
<label for="username">Username</label> <input id="username" name="username" autocomplete="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button id="sign-in" type="submit">Sign in</button></form></body></html>"""
        return Response(body, status=401 if message else 200, mimetype="text/html")

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        user = state["users"].get(request.form.get("username", "")) if request.method == "POST" else None
        try:
            # Check the request before showing a login form, as a real provider does.
            grant = server.get_consent_grant(end_user=user)
        except OAuth2Error as error:  # shown here, never redirected to an unchecked URI
            return Response(f"Bad authorisation request: {html.escape(error.description or error.error)}", status=400)
        if request.method == "GET":
            return login_page()
        if not user or not hmac.compare_digest(user.password, request.form.get("password", "")):
            return login_page("Wrong username or password")
        return server.create_authorization_response(grant_user=user, grant=grant)

    @app.post("/token")
    def token():
        return server.create_token_response()

    if args.test_controls:
        @app.post("/test/next-id-token")
        def next_id_token():
            with lock:
                state["next_mode"] = (request.get_json(force=True) or {}).get("mode")
            return jsonify({"ok": True})

        @app.post("/test/rotate-key")
        def rotate_key():
            # A new signing key with a new kid, published beside the old one, as providers rotate.
            with lock:
                number = len(state["old_keys"]) + 2
                state["old_keys"].append(state["key"])
                state["key"] = RSAKey.generate_key(
                    2048, parameters={"kid": f"convene-test-{number}", "use": "sig", "alg": "RS256"})
            return jsonify({"kid": state["key"].kid})

        @app.get("/test/stats")
        def stats():
            with lock:
                return jsonify({"jwks_requests": state["jwks_requests"]})

        @app.post("/test/users/<username>")
        def change_user(username):
            data = request.get_json(force=True) or {}
            with lock:
                user = state["users"].get(username)
                if not user:
                    return jsonify({"error": "no such user"}), 404
                if "email" in data:
                    user.email = data["email"]
                if "email_verified" in data:
                    user.email_verified = bool(data["email_verified"])
            return jsonify({"ok": True})

    return app, state


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--user", action="append", default=[], help="username|password|email|verified|name")
    parser.add_argument("--test-controls", action="store_true")
    parser.add_argument("--stop-on-stdin-eof", action="store_true")
    args = parser.parse_args()

    app, state = create_app(args)
    http = make_server(args.host, args.port, app, threaded=True)
    state["issuer"] = f"http://{args.host}:{http.server_port}"
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    tmp = args.ready_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(http.server_port))
    os.replace(tmp, args.ready_file)
    print(f"OpenID Connect provider at {state['issuer']}", file=sys.stderr, flush=True)
    try:
        if args.stop_on_stdin_eof:
            # The Swift tests hold stdin open and close it when they let go of the provider.
            while sys.stdin.read(1024):
                pass
        else:
            thread.join()
    except KeyboardInterrupt:
        pass
    http.shutdown()


if __name__ == "__main__":
    main()
