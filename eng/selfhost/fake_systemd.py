#!/usr/bin/python3
"""Stand-ins for systemctl and journalctl on the throwaway server of eng/selfhost/check.sh, where no systemd runs.

They run the units as systemd would in what the API depends on: ExecStartPre/ExecStart/ExecStartPost/ExecReload/ExecStop
with User, Group, WorkingDirectory, Environment, EnvironmentFile and StateDirectory(Mode); Type=notify waits for the
service's READY=1 on $NOTIFY_SOCKET (the sd_notify protocol), its parent process named "systemd" and SYSTEMD_EXEC_PID set
as systemd sets them; Type=oneshot and Type=forking (PIDFile) as documented; RestartPreventExitStatus is reported. Not
applied: the sandbox directives (ProtectSystem=… and the rest; check.sh inspects what the service wrote instead) and
restarts. `systemctl daemon-reload` runs `systemd-analyze verify` on the units this check installed.

    fake_systemd.py systemctl COMMAND [--now] UNIT...
    fake_systemd.py journalctl -u UNIT [-n N] [--no-pager]

State (pids, readiness, exit codes, logs) lives in $SELFHOST_STATE.
"""
import ctypes
import glob
import grp
import os
import pwd
import shlex
import signal
import socket
import subprocess
import sys
import time

STATE = os.environ["SELFHOST_STATE"]
UNIT_DIRS = ["/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def fail(message, code=1):
    print(message, file=sys.stderr)
    sys.exit(code)


def unit_name(name):
    return name if "." in name else name + ".service"


def unit_file(name):
    for directory in UNIT_DIRS:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    fail(f"Unit {name} not found.", 5)


def parse(path):
    """The unit's settings: {key: [values]} over every section (the units here use no key in two sections)."""
    settings = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line[0] in "#;" or line.startswith("["):
                continue
            key, _, value = line.partition("=")
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def one(settings, key, default=None):
    return settings.get(key, [default])[-1]


def state(name, suffix):
    return os.path.join(STATE, f"{name}.{suffix}")


def command_line(value):
    """ExecStart= and friends: prefixes (-, @, +, !) dropped, %% is %, words as systemd splits them."""
    ignore_failure = value.startswith("-")
    value = value.lstrip("-@+!:")
    return shlex.split(value.replace("%%", "%")), ignore_failure


def environment(settings):
    env = {"PATH": PATH, "LANG": "C.UTF-8"}
    user = one(settings, "User")
    if user:
        entry = pwd.getpwnam(user)
        env.update({"HOME": entry.pw_dir, "USER": user, "LOGNAME": user, "SHELL": entry.pw_shell})
    for value in settings.get("EnvironmentFile", []):
        optional = value.startswith("-")
        path = value.lstrip("-")
        if not os.path.exists(path):
            if optional:
                continue
            fail(f"EnvironmentFile {path} does not exist.")
        with open(path, encoding="utf-8") as f:
            for raw in f:
                line = raw.strip()
                if not line or line[0] in "#;":
                    continue
                key, _, val = line.partition("=")
                val = val.strip()
                if len(val) >= 2 and val[0] == val[-1] and val[0] in "'\"":
                    val = val[1:-1]
                env[key.strip()] = val
    for value in settings.get("Environment", []):
        for assignment in shlex.split(value):
            key, _, val = assignment.partition("=")
            env[key] = val
    return env


def credentials(settings):
    user = one(settings, "User")
    if not user:
        return None
    entry = pwd.getpwnam(user)
    group = one(settings, "Group")
    gid = grp.getgrnam(group).gr_gid if group else entry.pw_gid
    return entry.pw_uid, gid, user


def prepare(settings):
    for name in settings.get("StateDirectory", []):
        for directory in name.split():
            path = os.path.join("/var/lib", directory)
            os.makedirs(path, exist_ok=True)
            ids = credentials(settings)
            if ids:
                os.chown(path, ids[0], ids[1])
            os.chmod(path, int(one(settings, "StateDirectoryMode", "0755"), 8))


def child_setup(settings):
    ids = credentials(settings)
    directory = one(settings, "WorkingDirectory")
    umask = one(settings, "UMask")

    def setup():
        os.setsid()
        if umask:
            os.umask(int(umask, 8))
        if ids:
            os.setgid(ids[1])
            os.initgroups(ids[2], ids[1])
            os.setuid(ids[0])
        if directory:
            os.chdir(directory)

    return setup


def run(name, settings, key, log):
    """Runs every KEY= command of the unit in order; returns the first failing exit code, else 0."""
    env = environment(settings)
    for value in settings.get(key, []):
        argv, ignore_failure = command_line(value)
        with open(log, "ab") as out:
            code = subprocess.call(argv, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=child_setup(settings))
        if code != 0 and not ignore_failure:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{name}: {key} exited with {code}\n")
            return code
    return 0


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def pid_of(name):
    try:
        with open(state(name, "pid"), encoding="utf-8") as f:
            pid = int(f.read().strip())
        return pid if alive(pid) else None
    except (OSError, ValueError):
        return None


def supervise(name):
    """The service's parent for its lifetime, named systemd: starts it, relays READY=1, records its exit code."""
    ctypes.CDLL(None).prctl(15, b"systemd", 0, 0, 0)  # PR_SET_NAME: /proc/<this>/comm reads "systemd"
    settings = parse(unit_file(name))
    env = environment(settings)
    notify = one(settings, "Type", "simple") == "notify"
    if notify:
        socket_path = state(name, "notify")
        if os.path.exists(socket_path):
            os.unlink(socket_path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(socket_path)
        os.chmod(socket_path, 0o777)
        listener.setblocking(False)
        env["NOTIFY_SOCKET"] = socket_path
    argv, _ = command_line(settings["ExecStart"][-1])
    # As systemd does, SYSTEMD_EXEC_PID is the service's own pid: the shell's $$, which exec keeps.
    argv = ["/bin/sh", "-c", 'SYSTEMD_EXEC_PID=$$ exec "$@"', "sh"] + argv
    with open(state(name, "log"), "ab") as out:
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=child_setup(settings))
    with open(state(name, "pid"), "w", encoding="utf-8") as f:
        f.write(str(child.pid))
    if not notify:
        open(state(name, "ready"), "w").close()
    while child.poll() is None:
        if notify:
            try:
                message = listener.recv(4096).decode()
                if "READY=1" in message.split("\n"):
                    open(state(name, "ready"), "w").close()
            except BlockingIOError:
                pass
        time.sleep(0.05)
    with open(state(name, "exit"), "w", encoding="utf-8") as f:
        f.write(str(child.returncode))


def start(name):
    settings = parse(unit_file(name))
    if name.endswith(".timer"):
        open(state(name, "active"), "w").close()
        return 0
    if pid_of(name):
        return 0
    for suffix in ("ready", "exit", "pid"):
        if os.path.exists(state(name, suffix)):
            os.unlink(state(name, suffix))
    log = state(name, "log")
    prepare(settings)
    kind = one(settings, "Type", "simple")
    code = run(name, settings, "ExecStartPre", log)
    if code:
        return report_failure(name, settings, code)
    if kind == "oneshot":
        code = run(name, settings, "ExecStart", log) or run(name, settings, "ExecStartPost", log)
        with open(state(name, "exit"), "w", encoding="utf-8") as f:
            f.write(str(code))
        return report_failure(name, settings, code) if code else 0
    if kind == "forking":
        code = run(name, settings, "ExecStart", log)
        if code:
            return report_failure(name, settings, code)
        with open(one(settings, "PIDFile"), encoding="utf-8") as f, open(state(name, "pid"), "w", encoding="utf-8") as out:
            out.write(f.read().strip())
        return run(name, settings, "ExecStartPost", log)
    subprocess.Popen([sys.executable, os.path.abspath(__file__), "supervise", name], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + float(one(settings, "TimeoutStartSec", "90"))
    while time.monotonic() < deadline:
        if os.path.exists(state(name, "ready")):
            return run(name, settings, "ExecStartPost", log)
        if os.path.exists(state(name, "exit")):
            with open(state(name, "exit"), encoding="utf-8") as f:
                return report_failure(name, settings, int(f.read()))
        time.sleep(0.05)
    stop(name)
    return report_failure(name, settings, "timeout")


def report_failure(name, settings, code):
    prevented = str(code) in " ".join(settings.get("RestartPreventExitStatus", [])).split()
    print(f"Job for {name} failed (exit {code}){'; not restarted (RestartPreventExitStatus)' if prevented else ''}. "
          f"See \"journalctl -u {name}\".", file=sys.stderr)
    return 1


def stop(name):
    if name.endswith(".timer"):
        if os.path.exists(state(name, "active")):
            os.unlink(state(name, "active"))
        return 0
    settings = parse(unit_file(name))
    pid = pid_of(name)
    if not pid:
        return 0
    if settings.get("ExecStop"):
        run(name, settings, "ExecStop", state(name, "log"))
    else:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + float(one(settings, "TimeoutStopSec", "90"))
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if alive(pid):
        os.kill(pid, signal.SIGKILL)
    # The supervisor records the exit; a forking service's daemon has no supervisor.
    deadline = time.monotonic() + 5
    while one(settings, "Type", "simple") not in ("forking", "oneshot") and not os.path.exists(state(name, "exit")) and time.monotonic() < deadline:
        time.sleep(0.05)
    return 0


def daemon_reload():
    units = sorted(glob.glob("/etc/systemd/system/orderpayments*.service") + glob.glob("/etc/systemd/system/orderpayments*.timer"))
    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 or output:
        fail(f"systemd-analyze verify {' '.join(units)}:\n{output}")
    return 0


def systemctl(args):
    now = "--now" in args
    args = [a for a in args if a not in ("--now", "--no-pager", "-q", "--quiet")]
    command, units = args[0], [unit_name(u) for u in args[1:]]
    if command == "daemon-reload":
        return daemon_reload()
    code = 0
    for name in units:
        if command == "enable":
            open(state(name, "enabled"), "w").close()
            code = code or (start(name) if now else 0)
        elif command == "start":
            code = code or start(name)
        elif command == "stop":
            code = code or stop(name)
        elif command == "restart":
            stop(name)
            code = code or start(name)
        elif command == "reload-or-restart":
            settings = parse(unit_file(name))
            if pid_of(name) and settings.get("ExecReload"):
                code = code or run(name, settings, "ExecReload", state(name, "log"))
            else:
                stop(name)
                code = code or start(name)
        elif command == "is-active":
            active = pid_of(name) or os.path.exists(state(name, "active"))
            print("active" if active else "inactive")
            code = code or (0 if active else 3)
        else:
            fail(f"fake systemctl: '{command}' is not one of the commands docs/self-hosting.md uses.")
    return code


def journalctl(args):
    unit = unit_name(args[args.index("-u") + 1])
    lines = int(args[args.index("-n") + 1]) if "-n" in args else 10
    try:
        with open(state(unit, "log"), encoding="utf-8", errors="replace") as f:
            print("".join(f.readlines()[-lines:]), end="")
    except OSError:
        print("-- No entries --")
    return 0


if __name__ == "__main__":
    os.makedirs(STATE, exist_ok=True)
    verb, rest = sys.argv[1], sys.argv[2:]
    if verb == "supervise":
        supervise(rest[0])
        sys.exit(0)
    sys.exit(systemctl(rest) if verb == "systemctl" else journalctl(rest))
