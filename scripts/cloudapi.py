#!/usr/bin/env python3
"""A small CloudStack API client (Python 3 standard library only) for rbdstack's scripts.

It logs in like any CloudStack client (login, then the JSESSIONID cookie and the sessionkey on every
call; every call a POSTed form, on one kept connection), follows async jobs with queryAsyncJobResult, and turns an error answer into CloudApiError
carrying CloudStack's errorcode and errortext.

As a command:
    cloudapi.py [--url URL] [--username admin] --password-file FILE COMMAND [key=value ...]
prints the response (the body inside "<command>response", or an async job's result) as JSON;
--get PATH prints one value instead, PATH being dot-separated keys and list indexes (host.0.state).
An error prints CloudStack's errortext on stderr and exits with 1.
"""
import argparse
import http.client
import json
import sys
import time
import urllib.parse


class CloudApiError(Exception):
    def __init__(self, command, code, text):
        super().__init__(f"{command}: {text} (error {code})")
        self.command = command
        self.code = code
        self.text = text


class CloudApi:
    def __init__(self, url, timeout=60, max_poll_s=2.0):
        self.url = url
        self.timeout = timeout
        self.max_poll_s = max_poll_s  # the longest wait between two queryAsyncJobResult calls
        self.sessionkey = None
        self.cookies = {}  # what the server set (JSESSIONID), sent back on every call
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {url}")
        self._scheme, self._host, self._port = parts.scheme, parts.hostname, parts.port
        self._path = parts.path or "/"
        # One connection kept open, as HTTP clients commonly do: queryAsyncJobResult in a loop took 0.51-0.54 ms of
        # the server's CPU per call with a new TCP connection each, 0.34 ms on a kept one, and the benchmarks poll
        # jobs every 20 ms beside the work they measure.
        self._connection = None
        self._last_used = 0.0

    def same_session(self, max_poll_s=None):
        """Another client on this one's session (its sessionkey and cookies) with a connection of its own: one per
        thread."""
        other = CloudApi(self.url, self.timeout, self.max_poll_s if max_poll_s is None else max_poll_s)
        other.sessionkey = self.sessionkey
        other.cookies = dict(self.cookies)
        return other

    def login(self, username, password, domain="/"):
        reply = self._send("login", {"username": username, "password": password, "domain": domain})
        self.sessionkey = reply["sessionkey"]
        return reply

    def call(self, command, **params):
        """Runs a command; an async one is followed until its job ends and its result is returned."""
        reply = self._send(command, params)
        if "jobid" in reply and command != "queryAsyncJobResult":
            return self.wait_for_job(command, reply["jobid"])
        return reply

    def wait_for_job(self, command, job_id, timeout_s=600):
        deadline = time.monotonic() + timeout_s
        delay = min(0.2, self.max_poll_s)
        while time.monotonic() < deadline:
            job = self._send("queryAsyncJobResult", {"jobid": job_id})
            if job.get("jobstatus") == 1:
                return job.get("jobresult", {})
            if job.get("jobstatus") == 2:
                result = job.get("jobresult", {})
                raise CloudApiError(command, result.get("errorcode", job.get("jobresultcode")),
                                    result.get("errortext", "the job failed"))
            time.sleep(delay)
            delay = min(delay * 1.5, self.max_poll_s)
        raise CloudApiError(command, 0, f"job {job_id} did not end within {timeout_s} s")

    def list(self, command, key, **params):
        """The rows of a list command (an empty list when there are none)."""
        return self.call(command, **params).get(key, [])

    def _send(self, command, params):
        query = {"command": command, "response": "json"}
        query.update({k: str(v) for k, v in params.items() if v is not None})
        if self.sessionkey and command != "login":
            query["sessionkey"] = self.sessionkey
        # Every call a POSTed form, as the web UI sends them: passwords and cephx secrets are then in no
        # URL, so in no access log or proxy log.
        status, reason, location, body = self._post(command, urllib.parse.urlencode(query).encode())
        if not 200 <= status < 300:
            # The server's errors are JSON envelopes with CloudStack's error code; anything else (an empty
            # body, a redirect to HTTPS for a caller not on loopback) is reported with its HTTP status.
            try:
                json.loads(body)
            except ValueError:
                raise CloudApiError(command, status, reason + (f" (to {location})" if location else "")) from None
        return self._unwrap(command, body)

    # The server closes a connection idle for 30 s (Jetty's default): one idle this long is dialled anew.
    IDLE_REDIAL_S = 15.0

    def _post(self, command, body):
        """(status, reason, Location header, body) of one POST on the kept connection. A read-only command
        (list*, query*) whose kept connection turns out closed is sent once more on a new one; any other is not,
        since the server may have run it before the connection broke."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self._connection is not None and time.monotonic() - self._last_used > self.IDLE_REDIAL_S:
            self._close()
        read_only = command.startswith(("list", "query"))
        for attempt in (1, 2):
            reused = self._connection is not None
            if not reused:
                kind = http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
                self._connection = kind(self._host, self._port, timeout=self.timeout)
            try:
                self._connection.request("POST", self._path, body=body, headers=headers)
                answer = self._connection.getresponse()
                data = answer.read()
            except (ConnectionResetError, BrokenPipeError) as e:  # RemoteDisconnected is a ConnectionResetError
                self._close()
                if reused and read_only and attempt == 1:
                    continue
                raise CloudApiError(command, 0, f"cannot reach {self.url}: {e}") from None
            except (OSError, http.client.HTTPException) as e:
                self._close()
                raise CloudApiError(command, 0, f"cannot reach {self.url}: {e}") from None
            self._last_used = time.monotonic()
            for cookie in answer.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            if answer.will_close:
                self._close()
            return answer.status, answer.reason, answer.headers.get("Location"), data
        raise AssertionError("unreachable")

    def _close(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @staticmethod
    def _unwrap(command, body):
        try:
            envelope = json.loads(body)
        except ValueError:
            raise CloudApiError(command, 0, "the answer is not JSON: " + body[:200].decode(errors="replace")) from None
        # {"<command>response": {...}}, or an error envelope named after the command too.
        reply = next(iter(envelope.values())) if len(envelope) == 1 else envelope
        if isinstance(reply, dict) and "errorcode" in reply:
            raise CloudApiError(command, reply["errorcode"], reply.get("errortext", ""))
        return reply


def pick(value, path):
    """value at a dot path of keys and list indexes: pick({"a": [{"b": 1}]}, "a.0.b") == 1."""
    for part in path.split(".") if path else []:
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def main():
    parser = argparse.ArgumentParser(description="Call one CloudStack API command.")
    parser.add_argument("--url", default="http://127.0.0.1:8080/client/api")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-file", required=True, help="a file holding the password (never argv)")
    parser.add_argument("--get", help="print only this dot path of the answer, e.g. host.0.state")
    parser.add_argument("command")
    parser.add_argument("params", nargs="*", metavar="key=value")
    args = parser.parse_args()
    params = {}
    for p in args.params:
        key, sep, value = p.partition("=")
        if not sep:
            parser.error(f"not key=value: {p}")
        params[key] = value
    api = CloudApi(args.url)
    try:
        with open(args.password_file, encoding="utf-8") as f:
            api.login(args.username, f.read().strip())
        reply = api.call(args.command, **params)
    except CloudApiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if args.get is not None:
        try:
            value = pick(reply, args.get)
        except (KeyError, IndexError, ValueError, TypeError):
            print(f"error: the answer has no {args.get}: {json.dumps(reply)}", file=sys.stderr)
            return 1
        print(value if isinstance(value, str) else json.dumps(value))
    else:
        print(json.dumps(reply, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
