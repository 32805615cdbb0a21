"""A stand-in for GOV.UK Notify's email endpoint, for ConveneDeliveryTests.

Checks what the real API checks before sending: the bearer JWT (HS256 signature with the
service's secret, `iss` = the service id, `iat` within 30 seconds), the JSON body and the
template id, and the personalisation the templates need (subject, body, reference). Answers
like Notify: 201 with a notification, or {"status_code", "errors": [{"error", "message"}]}.
The recipient's local part picks an error to test: bad-request@ (400), rate-limit@ (429),
server-error@ (500). Accepted requests are kept as N.json in --dir. Stops when stdin closes.
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
COUNT = [0]
LOCK = threading.Lock()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def check_token(header):
    if not header or not header.startswith("Bearer "):
        return "Unauthorized: authentication token must be provided"
    parts = header[len("Bearer "):].split(".")
    if len(parts) != 3:
        return "Invalid token: not a JWT"
    head, claims = json.loads(b64url_decode(parts[0])), json.loads(b64url_decode(parts[1]))
    if head.get("alg") != "HS256" or head.get("typ") != "JWT":
        return "Invalid token: algorithm used is not HS256"
    expected = hmac.new(ARGS.secret.encode(), (parts[0] + "." + parts[1]).encode(), hashlib.sha256).digest()
    if not hmac.compare_digest(expected, b64url_decode(parts[2])):
        return "Invalid token: signature, api token not found"
    if claims.get("iss") != ARGS.service_id:
        return "Invalid token: service not found"
    iat = claims.get("iat")
    if not isinstance(iat, int) or abs(time.time() - iat) > 30:
        return "Error: Your system clock must be accurate to within 30 seconds"
    return claims


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, kind, message):
        self.answer(status, {"status_code": status, "errors": [{"error": kind, "message": message}]})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v2/notifications/email":
            return self.error(404, "NotFound", "no such path %s" % self.path)
        claims = check_token(self.headers.get("Authorization"))
        if isinstance(claims, str):
            return self.error(403, "AuthError", claims)
        if self.headers.get("Content-Type") != "application/json":
            return self.error(400, "BadRequestError", "Content-Type must be application/json")
        request = json.loads(body)
        allowed = {"email_address", "template_id", "personalisation", "reference", "email_reply_to_id"}
        if set(request) - allowed or not {"email_address", "template_id"} <= set(request):
            return self.error(400, "ValidationError", "unexpected or missing fields: %s" % sorted(request))
        if request["template_id"] not in ARGS.template:
            return self.error(400, "BadRequestError", "Template not found")
        fields = request.get("personalisation", {})
        missing = [k for k in ("subject", "body", "reference") if k not in fields]
        if missing or not all(isinstance(v, str) for v in fields.values()):
            return self.error(400, "BadRequestError", "Missing personalisation: %s" % ", ".join(missing))
        local = request["email_address"].split("@")[0]
        if local == "bad-request":
            return self.error(400, "BadRequestError", "Can't send to this recipient using a team-only API key")
        if local == "rate-limit":
            return self.error(429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds")
        if local == "server-error":
            return self.error(500, "Exception", "Internal server error")
        with LOCK:
            COUNT[0] += 1
            n = COUNT[0]
        notification = str(uuid.uuid4())
        with open(os.path.join(ARGS.dir, "%d.json" % n), "w") as f:
            json.dump({"request": request, "claims": claims, "id": notification}, f)
        self.answer(201, {"id": notification, "reference": request.get("reference"),
                          "content": {"subject": fields["subject"], "body": fields["body"],
                                      "from_email": "convene@notifications.service.gov.uk"},
                          "uri": "http://127.0.0.1/v2/notifications/" + notification,
                          "template": {"id": request["template_id"], "version": 1, "uri": "http://127.0.0.1/t"}})


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--secret", required=True)
    p.add_argument("--service-id", required=True)
    p.add_argument("--template", action="append", default=[])
    ARGS = p.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with open(ARGS.ready_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(ARGS.ready_file + ".tmp", ARGS.ready_file)
    try:
        sys.stdin.read()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
