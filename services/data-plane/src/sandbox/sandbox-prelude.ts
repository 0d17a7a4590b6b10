/**
 * The shell prelude that runs as root inside fresh mount/PID/network/IPC/UTS namespaces and turns them into a sandbox:
 * every mount read-only, the sandbox's own directories bound rw at fixed paths, host /home, /root, /run, /tmp, /dev/shm and
 * the sandboxes root hidden, loopback up, the gateway relay started, then the command run as nobody without capabilities.
 * It stays PID 1 (it does not exec the command) so that killing it, or the unshare above it, ends the whole namespace.
 */
import { IN_SANDBOX, SANDBOX_GID, SANDBOX_UID } from "./sandbox-paths.js";

/** Exit status of a prelude failure, distinct from the command's own. */
export const PRELUDE_FAILED_EXIT = 125;
export const PRELUDE_FAILED_MARK = "clawea-sandbox:";

const DROP = `setpriv --reuid=${SANDBOX_UID} --regid=${SANDBOX_GID} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs --`;

export const PRELUDE = `
SBX=$1; ROOT=$2; NODE=$3; CWD=$4; RELAY=$5; HIDE=$6; RELAY_ARGS=$7; shift 7
fail() { echo "${PRELUDE_FAILED_MARK} $*" >&2; exit ${PRELUDE_FAILED_EXIT}; }
m() { mount "$@" || fail "mount $*"; }
while read -r _src mp _rest; do
  case "$mp" in /proc|/proc/*|*\\\\*) continue;; esac
  mount -o remount,bind,ro "$mp" 2>/dev/null
done < /proc/self/mounts
m -t tmpfs -o mode=755,size=64k clawea-home /home
mkdir ${IN_SANDBOX.home} ${IN_SANDBOX.workspace} || fail mkdir
m --bind "$SBX/home" ${IN_SANDBOX.home}; m -o remount,bind,rw ${IN_SANDBOX.home}
m --bind "$SBX/workspace" ${IN_SANDBOX.workspace}; m -o remount,bind,rw ${IN_SANDBOX.workspace}
m -o remount,ro,bind /home
m -t tmpfs -o mode=755,size=64k clawea-run /run
mkdir ${IN_SANDBOX.bridgeDir} || fail mkdir
m --bind "$SBX/run" ${IN_SANDBOX.bridgeDir}
mkfifo /run/.relay-ready || fail mkfifo
m -o remount,ro,bind /run
m -t tmpfs -o ro,size=4k clawea-root /root
m --bind "$SBX/tmp" /var/tmp; m -o remount,bind,rw /var/tmp
m --bind /var/tmp /tmp; m -o remount,bind,rw /tmp
m -t tmpfs -o size=1m,mode=1777 clawea-shm /dev/shm
if [ -d "$ROOT" ]; then m -t tmpfs -o ro,size=4k clawea-sandboxes "$ROOT"; fi
IFS=:; for h in $HIDE; do if [ -d "$h" ]; then m -t tmpfs -o ro,size=4k clawea-hidden "$h"; fi; done; unset IFS
ip link set lo up || fail "loopback"
hostname sandbox 2>/dev/null
${DROP} "$NODE" -e "$RELAY" $RELAY_ARGS </dev/null >/run/.relay-ready &
read -r ready < /run/.relay-ready; [ "$ready" = ready ] || fail "gateway relay did not start"
cd "$CWD" || fail "cwd $CWD"
${DROP} "$@"
exit $?
`;
