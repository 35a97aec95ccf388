#!/bin/sh
# Entry point of the compose coturn service: refuses to start (one line, exit 1) when a TLS listener is configured
# but its certificate or key is missing, unreadable or not PEM. coturn itself only logs "WARNING: cannot find
# certificate file" and runs without TLS listeners, so every turns: URL handed to browsers would fail silently.
# Also refuses no-tls while Noom's TURN_URLS (passed in by compose) lists a turns: URL.
# Reads the file given with -c and the command line (which coturn applies on top of the file, as here).
set -eu

conf=""
cert=""
pkey=""
no_tls=""
prev=""
for arg in "$@"; do
  case "$prev" in
    -c) conf="$arg" ;;
    --cert) cert="$arg" ;;
    --pkey) pkey="$arg" ;;
  esac
  prev="$arg"
done
directive() { # last value of NAME=VALUE in the config file, comments ignored
  [ -n "$conf" ] && [ -r "$conf" ] || return 0
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*\\([^[:space:]#]*\\).*/\\1/p" "$conf" | tail -n 1
}
[ -z "$cert" ] && cert="$(directive cert)"
[ -z "$pkey" ] && pkey="$(directive pkey)"
[ -n "$conf" ] && [ -r "$conf" ] && grep -Eq '^[[:space:]]*no-tls[[:space:]]*$' "$conf" && no_tls=yes
for arg in "$@"; do
  case "$arg" in
    --cert=*) cert="${arg#--cert=}" ;;
    --pkey=*) pkey="${arg#--pkey=}" ;;
    --no-tls) no_tls=yes ;;
  esac
done

fail() { echo "coturn: $*" >&2; exit 1; }

if [ -n "$no_tls" ]; then
  case ",${TURN_URLS:-}" in
    *,turns:*) fail "TURN_URLS lists a turns: URL but coturn runs with no-tls: remove no-tls (and mount a certificate) or drop the turns: URL" ;;
  esac
else
  [ -n "$cert" ] || fail "TLS listener on (tls-listening-port) but no cert= is set: set cert= and pkey=, or no-tls"
  [ -n "$pkey" ] || fail "TLS listener on (tls-listening-port) but no pkey= is set: set cert= and pkey=, or no-tls"
  [ -r "$cert" ] || fail "TLS listener on but certificate file $cert is missing or unreadable: mount it, or set no-tls and drop turns: from TURN_URLS"
  [ -r "$pkey" ] || fail "TLS listener on but private key file $pkey is missing or unreadable: mount it, or set no-tls and drop turns: from TURN_URLS"
  grep -q -- "-----BEGIN CERTIFICATE-----" "$cert" || fail "certificate file $cert is not a PEM certificate"
  grep -q -- "PRIVATE KEY-----" "$pkey" || fail "private key file $pkey is not a PEM private key"
fi
exec turnserver "$@"
