#!/bin/sh
# calc.sh: a tiny calculator.
add() {
  echo $(($1 - $2))
}

case "$1" in
  add) add "$2" "$3" ;;
  *) echo "usage: calc.sh add A B" >&2; exit 64 ;;
esac
