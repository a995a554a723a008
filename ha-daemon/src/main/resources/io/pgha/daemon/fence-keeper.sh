# pgha fence keeper: the lease deadline guarded from outside the daemon's JVM.
# A frozen (SIGSTOP), hung or killed daemon cannot renew its lease, and its own fence timer is frozen
# or dead with it; this process is not. It reads the deadline the daemon writes after every renewal
# (in /proc/uptime centiseconds, a monotonic clock the shell can read without forking) and sends
# PostgreSQL's immediate-shutdown signal (SIGQUIT) to the postmaster once it has passed.
#   $1 deadline file: "0" disarmed, "<centiseconds>" armed, "exit" stop
#   $2 postmaster.pid of the data directory   $3 the daemon's PID
state=$1 pidfile=$2 daemon=$3
daemon_gone() {
    [ -r "/proc/$daemon/stat" ] || return 0
    read -r stat < "/proc/$daemon/stat" || return 0
    case "$stat" in *") Z "*|*") X "*) return 0 ;; esac
    return 1
}
while :; do
    deadline=0
    [ -r "$state" ] && read -r deadline < "$state"
    case "$deadline" in
        exit) exit 0 ;;
        ''|*[!0-9]*) deadline=0 ;;
    esac
    if [ "$deadline" -gt 0 ]; then
        read -r up rest < /proc/uptime
        now="${up%.*}${up#*.}"
        if [ "$now" -ge "$deadline" ]; then
            pid=
            [ -r "$pidfile" ] && read -r pid < "$pidfile"
            if [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] && read -r comm < "/proc/$pid/comm" && [ "$comm" = postgres ]; then
                kill -QUIT "$pid" 2>/dev/null && echo "pgha fence keeper: lease deadline passed without renewal; sent SIGQUIT to postmaster $pid" >&2
                # The backends too: a stopped postmaster passes nothing on, and a backend resumed before it could still acknowledge a commit.
                for f in /proc/[0-9]*/stat; do
                    read -r line < "$f" 2>/dev/null || continue
                    set -- ${line##*) }
                    if [ "$2" = "$pid" ]; then c=${f#/proc/}; kill -QUIT "${c%/stat}" 2>/dev/null; fi
                done
            fi
            echo 0 > "$state"
        fi
    elif daemon_gone; then
        exit 0 # nothing armed and nobody left to arm it
    fi
    sleep 0.1
done
