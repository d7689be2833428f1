#!/bin/sh
# The calculator's test, in TAP.
got=$(sh calc.sh add 2 3)
if [ "$got" = 5 ]; then
  echo "ok 1 - add 2 3 is 5"
else
  echo "not ok 1 - add 2 3 is 5"
  echo "# calc.sh:4: add returned $got" >&2
  exit 1
fi
