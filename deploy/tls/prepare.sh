#!/bin/sh
# Writes /tls/haproxy.pem (chain + key, for HAProxy) and /tls/fullchain.pem + /tls/privkey.pem (for coturn):
# - operator files in /certs-in (deploy/certs: fullchain.pem, privkey.pem) win, copied on every start (renewals);
# - PUBLIC_HOST set without them is a mistake: stop with one line, the stack does not start half-secured;
# - otherwise a self-signed certificate for localhost/127.0.0.1, made once and kept in the volume.
set -eu
out="${TLS_DIR:-/tls}"
in="${CERTS_IN_DIR:-/certs-in}"
umask 022
if [ -f "$in/fullchain.pem" ] && [ -f "$in/privkey.pem" ]; then
  openssl x509 -in "$in/fullchain.pem" -noout 2>/dev/null \
    || { echo "tls: deploy/certs/fullchain.pem is not a PEM certificate" >&2; exit 1; }
  openssl pkey -in "$in/privkey.pem" -noout 2>/dev/null \
    || { echo "tls: deploy/certs/privkey.pem is not a PEM private key" >&2; exit 1; }
  cp "$in/fullchain.pem" "$out/fullchain.pem"
  cp "$in/privkey.pem" "$out/privkey.pem"
  rm -f "$out/self-signed"
  echo "tls: using the certificate in deploy/certs ($(openssl x509 -in "$in/fullchain.pem" -noout -subject))"
elif [ -n "${PUBLIC_HOST:-}" ]; then
  echo "tls: PUBLIC_HOST=$PUBLIC_HOST is set but deploy/certs/fullchain.pem and privkey.pem are missing" >&2
  exit 1
elif [ ! -f "$out/self-signed" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
    -keyout "$out/privkey.pem" -out "$out/fullchain.pem" 2>/dev/null
  touch "$out/self-signed"
  echo "tls: made a self-signed certificate for localhost (browsers will warn until you install a real one)"
else
  echo "tls: keeping the self-signed certificate made on first start"
fi
cat "$out/fullchain.pem" "$out/privkey.pem" > "$out/haproxy.pem.new" && mv "$out/haproxy.pem.new" "$out/haproxy.pem"
# HAProxy (user haproxy) and coturn (nobody) run as other users than this one-shot: readable by them, and the
# volume is mounted only into those two services.
chmod 0644 "$out/haproxy.pem" "$out/fullchain.pem" "$out/privkey.pem"
