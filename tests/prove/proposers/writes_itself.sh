#!/bin/sh
# A proposer that edits the tree directly instead of proposing a diff.
cat > /dev/null
sed 's/- \$2/+ $2/' calc.sh > calc.sh.new && mv calc.sh.new calc.sh
