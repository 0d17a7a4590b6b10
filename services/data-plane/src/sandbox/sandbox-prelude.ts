/**
 * The shell scripts that make a local sandbox. `INIT_PRELUDE` runs once per start as root, PID 1 of fresh
 * mount/PID/network/IPC/UTS namespaces: every mount read-only, the sandbox's own directories bound rw at fixed paths,
 * host /home, /root, /run, /tmp, /dev/shm and the sandboxes root hidden, loopback up, the gateway relay started as
 * nobody; then it waits on the relay for as long as the sandbox runs. `EXEC_PRELUDE` runs once per exec, already as
 * nobody and PID 1 of the exec's own PID namespace inside the sandbox's other namespaces: it checks it is in the
 * sandbox it was sent to, enters the cwd, restores the caller's environment and runs the command as its child (it
 * stays PID 1, so the exec ends, and a kill takes the whole tree down, when it exits).
 *
 * Both start the same way (`LIMITS`): join the sandbox's cgroups through the cgroup.procs descriptors handed in as fds
 * 3.. (then closed), set the rlimits, and the OOM killer's preference: an exec goes first when the sandbox (or the
 * host) runs out of memory (1000), the init and its relay last (-1000, where the data plane may lower it, i.e. with
 * CAP_SYS_RESOURCE), so a command blowing the memory limit is killed, not the sandbox.
 */
import { IN_SANDBOX, SANDBOX_GID, SANDBOX_UID } from "./sandbox-paths.js";

/** Exit status of a prelude failure, distinct from the command's own. */
export const PRELUDE_FAILED_EXIT = 125;
export const PRELUDE_FAILED_MARK = "clawea-sandbox:";
/** What the init prints on stdout once the sandbox is ready for execs. */
export const INIT_READY = "ready";
/**
 * Inside the sandbox only (on its private /run): the start's nonce. An exec checks it before running anything, so a
 * recycled pid can never send a command into namespaces that are not this sandbox's.
 */
export const INIT_MARK_FILE = "/run/.clawea-init";
/**
 * The caller's environment crosses the privileged part of the exec chain (setpriv, nsenter, unshare, all root) under
 * this prefix, where no loader or tool reads it (LD_PRELOAD and friends would run code as root otherwise), and becomes
 * the real names again only once the exec is nobody. Values stay out of argv (visible in host `ps`).
 */
export const ENV_CARRIER_PREFIX = "CLAWEA_ENV_";
/** The first descriptor of the cgroup.procs files handed to a prelude. */
export const CGROUP_FD_BASE = 3;

// `--pdeathsig keep`: the uid change would clear the parent-death signal that ties an exec's PID 1 to its unshare.
const DROP = `setpriv --pdeathsig keep --reuid=${SANDBOX_UID} --regid=${SANDBOX_GID} --clear-groups --inh-caps=-all --bounding-set=-all --no-new-privs --`;

const FAIL = `fail() { echo "${PRELUDE_FAILED_MARK} $*" >&2; exit ${PRELUDE_FAILED_EXIT}; }`;

/** Expects CGROUPS (how many cgroup.procs fds), LIMITS (ulimit settings) and OOM (oom_score_adj). */
const LIMITS = `
i=${CGROUP_FD_BASE}; while [ "$i" -lt "$((${CGROUP_FD_BASE} + CGROUPS))" ]; do echo 0 >&"$i" || fail "cannot join cgroup"; eval "exec $i>&-"; i=$((i + 1)); done
for l in $LIMITS; do ulimit "-\${l%%=*}" "\${l#*=}" || fail "ulimit $l"; done
echo "$OOM" > /proc/self/oom_score_adj 2>/dev/null
`;

/** Argv of the unprivileged half of an exec, after its PID namespace exists: drop, then EXEC_PRELUDE, then the command. */
export function dropThenExecPrelude(args: { nonce: string; cwd: string; cgroupFds: number; limits: readonly string[]; envKeys: readonly string[]; command: readonly string[] }): string[] {
  return [...DROP.split(" "), "/bin/sh", "-c", EXEC_PRELUDE, "clawea-exec", args.nonce, args.cwd, String(args.cgroupFds), args.limits.join(" "), args.envKeys.join(" "), ...args.command];
}

/** Argv of INIT_PRELUDE, run by `sh -c` as PID 1 of the sandbox's namespaces. */
export function initPrelude(args: { dir: string; sandboxesRoot: string; nodePath: string; relaySource: string; hidePaths: readonly string[]; relayArgs: readonly string[]; nonce: string; cgroupFds: number; limits: readonly string[] }): string[] {
  return ["/bin/sh", "-c", INIT_PRELUDE, "clawea-init", args.dir, args.sandboxesRoot, args.nodePath, args.relaySource, args.hidePaths.join(":"), args.relayArgs.join(" "), args.nonce, String(args.cgroupFds), args.limits.join(" ")];
}

const INIT_PRELUDE = `
SBX=$1; ROOT=$2; NODE=$3; RELAY=$4; HIDE=$5; RELAY_ARGS=$6; NONCE=$7; CGROUPS=$8; LIMITS=$9; OOM=-1000
${FAIL}
${LIMITS}
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
echo "$NONCE" > ${INIT_MARK_FILE} || fail "init mark"
m -o remount,ro,bind /run
m -t tmpfs -o ro,size=4k clawea-root /root
m --bind "$SBX/tmp" /var/tmp; m -o remount,bind,rw /var/tmp
m --bind /var/tmp /tmp; m -o remount,bind,rw /tmp
m -t tmpfs -o size=1m,mode=1777 clawea-shm /dev/shm
if [ -d "$ROOT" ]; then m -t tmpfs -o ro,size=4k clawea-sandboxes "$ROOT"; fi
IFS=:; for h in $HIDE; do if [ -d "$h" ]; then m -t tmpfs -o ro,size=4k clawea-hidden "$h"; fi; done; unset IFS
ip link set lo up || fail "loopback"
hostname sandbox 2>/dev/null
cd /
${DROP} "$NODE" -e "$RELAY" $RELAY_ARGS </dev/null >/run/.relay-ready &
RELAY_PID=$!
read -r ready < /run/.relay-ready; [ "$ready" = ready ] || fail "gateway relay did not start"
echo ${INIT_READY}
exec </dev/null >/dev/null
wait "$RELAY_PID"
fail "gateway relay exited"
`;

const EXEC_PRELUDE = `
NONCE=$1; CWD=$2; CGROUPS=$3; LIMITS=$4; KEYS=$5; OOM=1000; shift 5
${FAIL}
${LIMITS}
read -r mark < ${INIT_MARK_FILE} 2>/dev/null; [ "$mark" = "$NONCE" ] || fail "not in this sandbox's namespaces"
cd "$CWD" || fail "cwd $CWD"
for k in $KEYS; do eval "export $k=\\"\\$${ENV_CARRIER_PREFIX}$k\\"; unset ${ENV_CARRIER_PREFIX}$k"; done
"$@"
exit "$?"
`;
