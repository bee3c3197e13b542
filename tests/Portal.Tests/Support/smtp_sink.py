#!/usr/bin/python3
"""A real SMTP server for the test suite (Debian's python3-aiosmtpd), on 127.0.0.1 and a free port.

Prints the bound port on stdout, then serves until killed. Each message received is saved in --dir as
<id>.eml (the raw DATA) and <id>.json (envelope, whether the connection was TLS, the logged-in user); the .json is
renamed into place last, so a reader that sees it sees a complete message.

Modes: plain (no TLS offered), starttls (STARTTLS offered; --require-starttls refuses mail before it),
tls (implicit TLS from the first byte). --user/--password turn on AUTH (PLAIN/LOGIN) and require it.
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import uuid

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Saver:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        transport = server.transport
        tls = transport is not None and transport.get_extra_info("ssl_object") is not None
        user = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            user = session.auth_data.login.decode("utf-8", "replace")
        name = uuid.uuid4().hex
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "tls": tls,
            "user": user,
            "helo": session.host_name,
        }
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        self._write(name + ".eml", content)
        self._write(name + ".json", json.dumps(meta).encode("utf-8"))
        return "250 OK"

    def _write(self, file_name, data):
        temporary = os.path.join(self.directory, "." + file_name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, os.path.join(self.directory, file_name))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--mode", choices=["plain", "starttls", "tls"], default="plain")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--require-starttls", action="store_true")
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == args.user.encode()
              and auth_data.password == args.password.encode())
        # handled=False lets aiosmtpd answer a refusal with 535 itself (otherwise the client waits forever).
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Saver(args.dir)

    def factory():
        return SMTP(
            handler,
            hostname="smtp.test",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=args.require_starttls,
            authenticator=authenticator if args.user else None,
            auth_required=bool(args.user),
            # With STARTTLS offered, AUTH only after it (as real servers do); plain and implicit-TLS servers offer it at once.
            auth_require_tls=args.mode == "starttls",
            loop=loop,
        )

    server = loop.run_until_complete(
        loop.create_server(factory, "127.0.0.1", 0, ssl=context if args.mode == "tls" else None))
    print(server.sockets[0].getsockname()[1], flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    sys.exit(main())
