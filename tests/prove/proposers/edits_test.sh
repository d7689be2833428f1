#!/bin/sh
# A proposer that "fixes" the test instead of the code.
cat > /dev/null
cat <<'DIFF'
--- a/test.sh
+++ b/test.sh
@@ -3,1 +3,1 @@
-got=$(sh calc.sh add 2 3)
+got=5
DIFF
