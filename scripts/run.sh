#!/usr/bin/env bash
# Installs and starts everything rbdstack needs on this machine.
source "$(dirname "$0")/common.sh"
here=$(cd "$(dirname "$0")" && pwd)

"$here/install-packages.sh"
"$here/services.sh" start
"$here/services.sh" status
