#!/bin/sh
set -e
# "-foo" → redis-server -foo, like upstream
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  # Without a config file Redis would refuse every non-loopback client (protected mode): upstream turns it off too,
  # first, so a later --protected-mode on the command line still wins.
  if [ ! -f "${2:-}" ]; then shift; set -- redis-server --protected-mode no "$@"; fi
  if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=redis --regid=redis --init-groups "$@"; fi
fi
exec "$@"
