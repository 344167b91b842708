#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal (its controlling terminal) and
answer prompts. Usage: ptydrive.py 'PROMPT1=>answer1|TEXT|PROMPT2=>answer2' cmd args...
Each PROMPT is searched for in the output after the previous match; a step
without '=>' only waits for its TEXT. Every wait
is bounded; the child is killed if it does not finish. Prints the transcript
and a final line 'EXIT <code>'."""
import os, pty, select, signal, sys, time

steps = [(s.split('=>', 1) + [None])[:2] for s in sys.argv[1].split('|')] if sys.argv[1] else []
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out = b''
pos = 0

def pump(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if r:
        try:
            d = os.read(fd, 4096)
        except OSError:
            return False
        if not d:
            return False
        out += d
    return True

ok = True
for want, answer in steps:
    end = time.time() + 15
    while want.encode() not in out[pos:] and time.time() < end:
        if not pump(0.2):
            break
    i = out.find(want.encode(), pos)
    if i < 0:
        ok = False
        break
    pos = i + len(want)
    if answer is not None:
        time.sleep(0.05)
        os.write(fd, (answer + '\n').encode())
p, st = 0, 0
end = time.time() + 20
while time.time() < end:
    alive = pump(0.2)
    p, st = os.waitpid(pid, os.WNOHANG)
    if p or not alive:
        break
for _ in range(50):
    if p:
        break
    p, st = os.waitpid(pid, os.WNOHANG)
    time.sleep(0.1)
if not p:
    os.kill(pid, signal.SIGKILL)
    p, st = os.waitpid(pid, 0)
while pump(0.1):
    pass
sys.stdout.write(out.decode(errors='replace').replace('\r\n', '\n'))
if not ok:
    print('\nPROMPT-NOT-SEEN', want)
print('\nEXIT', os.waitstatus_to_exitcode(st))
