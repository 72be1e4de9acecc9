/// The Python program `SMTPAiosmtpdSink` runs (kept in Swift so FacteurTesting needs no resources).
enum SinkAiosmtpdScript {
    static let source = #"""
# Facteur's scriptable SMTP sink for tests (aiosmtpd). Behaviour by recipient local part:
#   tempfail*  -> 451 4.7.1 at RCPT     reject*    -> 550 5.1.1 at RCPT
#   dropdata*  -> connection dropped after the data, before any reply
#   slowdata*  -> the reply to the data comes after --slow seconds
#   faildata*  -> 554 5.6.0 after the data
#   --tempfail-share S: the first RCPT of a share S of all addresses (chosen by a hash) gets 451 4.7.1;
#                       the file DUMP/../stop-tempfail, once created, ends those errors
#   --slow-domain D:    the reply to the data for recipients @D comes after --slow seconds
# Each accepted message is written to DUMP/N.eml (bytes as received, dot-stuffing removed) and
# DUMP/N.env (MAIL FROM, its parameters, then one RCPT and its parameters per line).
# Each AUTH attempt appends "MECHANISM ok|fail" to DUMP/auth.log. --pipelining offers PIPELINING
# (aiosmtpd reads commands one line at a time, so pipelined groups work); --mechanisms limits AUTH.
import argparse, asyncio, base64, hmac, os, signal, ssl, threading, time, zlib
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, MISSING

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--tls", choices=["none", "starttls", "implicit"], default="none")
p.add_argument("--cert"); p.add_argument("--key")
p.add_argument("--user"); p.add_argument("--password")
p.add_argument("--dump", required=True)
p.add_argument("--slow", type=float, default=5.0)
p.add_argument("--pipelining", action="store_true")
p.add_argument("--mechanisms", default="")
p.add_argument("--tempfail-share", type=float, default=0.0)
p.add_argument("--slow-domain", default="")
a = p.parse_args()

def record_auth(mechanism, ok):
    with lock:
        with open(os.path.join(a.dump, "auth.log"), "a") as f:
            f.write("%s %s\n" % (mechanism, "ok" if ok else "fail"))

counter = 0
lock = threading.Lock()
refused_once = set()

class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if a.pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def auth_CRAM__MD5(self, server, args):
        challenge = ("<%d.%d@sink.test>" % (os.getpid(), time.time_ns())).encode()
        response = await server.challenge_auth(challenge)
        if response is MISSING:
            return AuthResult(success=False, handled=True)
        user, _, digest = response.decode(errors="replace").rpartition(" ")
        expected = hmac.new(a.password.encode(), challenge, "md5").hexdigest()
        ok = user == a.user and hmac.compare_digest(digest, expected)
        record_auth("CRAM-MD5", ok)
        return AuthResult(success=ok, handled=False)

    async def auth_XOAUTH2(self, server, args):
        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        fields = base64.b64decode(args[1]).split(b"\x01")
        ok = len(fields) == 4 and fields[2:] == [b"", b""] \
            and fields[0] == b"user=" + a.user.encode() and fields[1] == b"auth=Bearer " + a.password.encode()
        record_auth("XOAUTH2", ok)
        if ok:
            return AuthResult(success=True)
        # As Gmail does: a 334 carrying a base64 JSON error, answered by an empty line, then 535.
        await server.challenge_auth('{"status":"401","schemes":"bearer"}')
        return AuthResult(success=False, handled=False)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("tempfail"):
            return "451 4.7.1 Try again later"
        if local.startswith("reject"):
            return "550 5.1.1 No such user"
        if a.tempfail_share > 0 and address not in refused_once \
                and not os.path.exists(os.path.join(a.dump, "..", "stop-tempfail")) \
                and zlib.crc32(address.lower().encode()) % 1000 < a.tempfail_share * 1000:
            refused_once.add(address)
            return "451 4.7.1 Rate limited, try again later"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.append(rcpt_options)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        global counter
        locals_ = [r.split("@")[0].lower() for r in envelope.rcpt_tos]
        if any(l.startswith("dropdata") for l in locals_):
            server.transport.abort()
            return "421 4.3.0 dropped"
        if any(l.startswith("slowdata") for l in locals_) or \
                (a.slow_domain and any(r.lower().endswith("@" + a.slow_domain) for r in envelope.rcpt_tos)):
            await asyncio.sleep(a.slow)
        if any(l.startswith("faildata") for l in locals_):
            return "554 5.6.0 Message rejected"
        with lock:
            counter += 1
            n = counter
        base = os.path.join(a.dump, "%06d" % n)
        with open(base + ".env", "w", encoding="utf-8") as f:
            f.write(" ".join([envelope.mail_from] + list(envelope.mail_options)) + "\n")
            for r, o in zip(envelope.rcpt_tos, envelope.rcpt_options):
                f.write(" ".join([r] + list(o)) + "\n")
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Queued as %d" % n

def authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login.decode() == a.user and auth_data.password.decode() == a.password
    record_auth(mechanism, ok)
    # handled=False: aiosmtpd itself answers 535 on failure (the default leaves the client waiting).
    return AuthResult(success=ok, handled=False)

kwargs = {}
ctx = None
if a.tls != "none":
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(a.cert, a.key)
if a.tls == "starttls":
    kwargs["tls_context"] = ctx
if a.user:
    kwargs["authenticator"] = authenticator
    kwargs["auth_require_tls"] = a.tls == "starttls"
    kwargs["auth_required"] = True
    if a.mechanisms:
        kwargs["auth_exclude_mechanism"] = [m for m in ["LOGIN", "PLAIN", "CRAM-MD5", "XOAUTH2"] if m not in a.mechanisms.split(",")]
controller = Controller(Handler(), hostname=a.host, port=a.port,
                        ssl_context=ctx if a.tls == "implicit" else None,
                        data_size_limit=64 * 1024 * 1024, enable_SMTPUTF8=True, **kwargs)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
controller.start()
signal.sigwait({signal.SIGTERM, signal.SIGINT})
controller.stop()
"""#
}
