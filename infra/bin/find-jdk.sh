#!/usr/bin/env bash
# Prints the home of a JDK >= 21: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm
# (or /Library/Java/JavaVirtualMachines on macOS). Exits 1 with a clear message when there is none.
set -euo pipefail

major_of() { # prints the major version of the JDK at $1, or nothing
  local v
  v=$("$1/bin/java" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || return 0
  v=${v#1.}
  echo "${v%%[.-]*}"
}

candidates=()
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -x "$d/bin/javac" ] && candidates+=("$d")
done

best=""; best_major=0
for c in "${candidates[@]}"; do
  [ -x "$c/bin/javac" ] || continue
  m=$(major_of "$c")
  [ -n "$m" ] || continue
  if [ "$m" -ge 21 ]; then
    # Keep $JAVA_HOME when it qualifies (the user's choice); otherwise take the newest.
    if [ "$c" = "${JAVA_HOME:-}" ]; then echo "$c"; exit 0; fi
    if [ "$m" -gt "$best_major" ]; then best="$c"; best_major=$m; fi
  fi
done

if [ -z "$best" ]; then
  echo "No JDK 21 or newer found (checked \$JAVA_HOME and /usr/lib/jvm). Install one, e.g." >&2
  echo "  apt-get install temurin-21-jdk   or   sdk install java 21-tem" >&2
  echo "then run again, or point JAVA_HOME at it." >&2
  exit 1
fi
echo "$best"
