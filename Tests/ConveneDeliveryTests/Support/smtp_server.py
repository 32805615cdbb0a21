"""A real SMTP server (aiosmtpd) for ConveneDeliveryTests.

Listens on 127.0.0.1 on a free port, writes that port to --ready-file once it accepts
connections, and keeps each message it accepts as N.eml (the bytes as received) and N.json
(envelope, AUTH mechanism, whether TLS was on). Options make it behave like the servers
Convene meets: STARTTLS or implicit TLS with a given certificate, AUTH required, a refused or
deferred recipient, a connection dropped after DATA. It stops when its standard input closes,
so a test that dies leaves nothing running.
"""
import argparse
import json
import os
import socket
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self, args):
        self.args = args
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.args.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if address in self.args.defer:
            return "451 4.3.0 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.drop_after_data:
            server.transport.abort()
            return "421 closing"
        self.count += 1
        base = os.path.join(self.args.dir, "%d" % self.count)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        tls = server._tls_protocol is not None or server.transport.get_extra_info("sslcontext") is not None
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "auth_mechanism": getattr(session, "convene_mechanism", None), "tls": tls}, f)
        return "250 2.0.0 Ok: queued as CONVENE%d" % self.count


def silent(args):
    """Accepts connections and never says a word: a server that hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    with open(args.ready_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(args.ready_file + ".tmp", args.ready_file)
    held = []
    listener.settimeout(0.2)
    import select
    while True:
        readable, _, _ = select.select([sys.stdin, listener], [], [], 0.2)
        if sys.stdin in readable and not sys.stdin.read(1):
            return
        if listener in readable:
            held.append(listener.accept()[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--mode", choices=["plain", "starttls", "implicit", "silent"], default="plain")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth", help="user:password; AUTH becomes required")
    p.add_argument("--refuse", action="append", default=[])
    p.add_argument("--defer", action="append", default=[])
    p.add_argument("--drop-after-data", action="store_true")
    args = p.parse_args()

    if args.mode == "silent":
        return silent(args)

    context = None
    if args.mode != "plain":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)

    kwargs = {"hostname": "127.0.0.1", "port": free_port(), "server_hostname": "smtp.test"}
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.mode == "implicit":
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            session.convene_mechanism = mechanism
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() \
                and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        # aiosmtpd sees STARTTLS but not implicit TLS as encrypted; the client under test
        # refuses to send a password in clear either way.
        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=args.mode != "implicit")

    controller = Controller(Recorder(args), **kwargs)
    controller.start()
    with open(args.ready_file + ".tmp", "w") as f:
        f.write(str(kwargs["port"]))
    os.rename(args.ready_file + ".tmp", args.ready_file)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
