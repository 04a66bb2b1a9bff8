/**
 * The programs stage slots run (slot.ts): the same line protocol in sh and in Python. Kept apart
 * from the runner's side of it, which spawns them and reads what they report.
 */

/**
 * $1: the end marker, $2: setsid, $3: sleep, $4: the grace in seconds, $5: env. A stage started with
 * `&` has SIGINT and SIGQUIT ignored (POSIX, for a shell without job control): where `env` can (coreutils
 * 8.31 and later), it gives them back their default actions. SIGTERM (sent by the kernel
 * when the runner is gone, however it went: setpriv --pdeathsig) ends the running stage's session
 * (SIGTERM, then SIGKILL after the grace) and the slot; the stage guard (guard.ts) does the same from
 * its side, once the runner has told it the stage's pid. Reads lines: `/DIR` (cd), `NAME=VALUE` (export), `-NAME` (unset),
 * all kept for the stages after; then `w WORDS` (run those words) or `s CMD` (run `sh -c CMD`) starts
 * a stage. Reports on fd 3: `p PID` once the stage is started, `l PID` when it has ended but left
 * processes in its session (the runner stops them, then sends a line), `e PID STATUS` after the end
 * markers. A folder it cannot enter fails the next stage (status 127, the shell's message on stderr).
 * End of input: the runner let it go, or is gone.
 */
export const SLOT_SHELL = [
  '_pw_m=$1 _pw_S=$2 _pw_z=$3 _pw_g=$4 _pw_bad= _pw_run= _pw_D=',
  'if "$5" --default-signal=INT,QUIT true 2>/dev/null; then _pw_D="$5 --default-signal=INT,QUIT"; fi',
  '_pw_end() {',
  '  if [ -n "$_pw_run" ] && kill -s TERM -- -"$_pw_run" 2>/dev/null; then "$_pw_z" "$_pw_g"; kill -s KILL -- -"$_pw_run" 2>/dev/null; fi',
  '  exit 143',
  '}',
  "trap _pw_end TERM",
  'while IFS= read -r _pw_v; do',
  '  case "$_pw_v" in',
  '    /*) cd "$_pw_v" || _pw_bad=1; continue ;;',
  '    -*) unset "${_pw_v#-}"; continue ;;',
  '    "w "*|"s "*) ;;',
  '    *) export "$_pw_v"; continue ;;',
  '  esac',
  '  if [ -n "$_pw_bad" ]; then',
  '    _pw_p=0 _pw_s=127 _pw_bad=',
  '  else',
  '    case "$_pw_v" in',
  '      w*) (set -f; set -- ${_pw_v#w }; exec "$_pw_S" $_pw_D "$@") </dev/null 3>&- & ;;',
  '      *) (set -f; exec "$_pw_S" $_pw_D /bin/sh -c "${_pw_v#s }") </dev/null 3>&- & ;;',
  '    esac',
  '    _pw_p=$! _pw_run=$!',
  '    echo "p $_pw_p" >&3',
  '    wait "$_pw_p"; _pw_s=$?',
  '    if kill -s 0 -- -"$_pw_p" 2>/dev/null; then echo "l $_pw_p" >&3; IFS= read -r _pw_v || _pw_end; fi',
  '    _pw_run=',
  '  fi',
  '  printf \'%s\\n\' "$_pw_m" >&2; printf \'%s\\n\' "$_pw_m"',
  '  echo "e $_pw_p $_pw_s" >&3',
  'done',
].join('\n');

/**
 * The same slot in Python, used where there is a python3 (3.8 or later): `os.posix_spawn(...,
 * setsid=True)` starts a stage in a session of its own without the extra program (`setsid`) the shell
 * needs, and a stage killed by a signal is told apart from one that exits 128 + n (`e PID -SIGNAL`).
 * $1: the end marker, $2: the grace in seconds. Says `r` on fd 3 once it reads its input; one that
 * ends before that is not used again (SlotPool). The stage gets the default action for the signals
 * Python ignores (SIGPIPE, SIGXFSZ). Words whose program cannot be started are run by `sh`, which says
 * why in the shell's words (127: not found, 126: not runnable).
 */
export const SLOT_PYTHON = String.raw`
import os, signal, sys, time
if sys.version_info < (3, 8):
    sys.exit(3)
m = os.fsencode(sys.argv[1]) + b"\n"
grace = float(sys.argv[2])
run = 0
def end(*_):
    if run:
        try:
            os.killpg(run, signal.SIGTERM)
            time.sleep(grace)
            os.killpg(run, signal.SIGKILL)
        except OSError:
            pass
    os._exit(143)
signal.signal(signal.SIGTERM, end)
actions = [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0), (os.POSIX_SPAWN_CLOSE, 3)]
def spawn(argv):
    return os.posix_spawnp(argv[0], argv, os.environb, file_actions=actions, setsigdef=(signal.SIGPIPE, signal.SIGXFSZ), setsid=True)
def start(v):
    if v[:1] == b"s":
        return spawn([b"/bin/sh", b"-c", v[2:]])
    try:
        return spawn(v[2:].split())
    except OSError:
        return spawn([b"/bin/sh", b"-c", b'exec "$@"', b"sh"] + v[2:].split())
read = sys.stdin.buffer.readline
bad = None
os.write(3, b"r\n")
while True:
    v = read()
    if not v:
        break
    v = v[:-1]
    if v[:1] == b"/":
        try:
            os.chdir(v)
        except OSError as e:
            bad = b"pipewright: cannot enter " + v + b": " + os.fsencode(e.strerror or "") + b"\n"
        continue
    if v[:1] == b"-":
        os.environb.pop(v[1:], None)
        continue
    if v[:2] not in (b"w ", b"s "):
        k, _, x = v.partition(b"=")
        os.environb[k] = x
        continue
    p, s = 0, 127
    if bad is None:
        try:
            p = run = start(v)
        except OSError as e:
            s, bad = 126, b"pipewright: cannot start the stage: " + os.fsencode(e.strerror or str(e)) + b"\n"
    if bad is not None:
        os.write(2, bad)
        bad = None
    else:
        os.write(3, b"p %d\n" % p)
        s = os.waitpid(p, 0)[1]
        s = -os.WTERMSIG(s) if os.WIFSIGNALED(s) else os.WEXITSTATUS(s)
        try:
            os.killpg(p, 0)
            os.write(3, b"l %d\n" % p)
            if not read():
                end()
        except OSError:
            pass
        run = 0
    os.write(2, m)
    os.write(1, m)
    os.write(3, b"e %d %d\n" % (p, s))
`;

/** Names the slot's shell keeps for itself or that change how it reads: a stage with one of these is started another way. */
export const SHELL_NAMES = /^(_pw_.*|IFS|PPID|OPTIND)$/;
