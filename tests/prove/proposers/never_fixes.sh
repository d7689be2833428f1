#!/bin/sh
# A proposer whose patches apply but never fix anything.
cat > /dev/null
cat <<'DIFF'
--- a/calc.sh
+++ b/calc.sh
@@ -2,1 +2,2 @@
 # calc.sh: a tiny calculator.
+# (a comment changes nothing)
DIFF
