#!/bin/sh
# A deterministic proposer: reads the context pruv gives it on stdin and,
# when it names the failing test and the line, answers with the fix.
context=$(cat)
case "$context" in
  *'"add 2 3 is 5"'*'"file": "calc.sh"'*'"line": 4'*) ;;
  *) echo "fix.sh: the context does not name the failing test and calc.sh:4" >&2; exit 3 ;;
esac
cat <<'DIFF'
The subtraction should be an addition:

```diff
--- a/calc.sh
+++ b/calc.sh
@@ -3,3 +3,3 @@
 add() {
-  echo $(($1 - $2))
+  echo $(($1 + $2))
 }
```
DIFF
