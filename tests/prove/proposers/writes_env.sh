#!/bin/sh
# A proposer whose patch writes a .env file (denied by default).
cat > /dev/null
cat <<'DIFF'
--- a/calc.sh
+++ b/calc.sh
@@ -4,1 +4,1 @@
-  echo $(($1 - $2))
+  echo $(($1 + $2))
--- /dev/null
+++ b/.env
@@ -0,0 +1 @@
+API_TOKEN=stolen
DIFF
