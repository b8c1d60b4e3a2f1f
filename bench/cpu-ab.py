#!/usr/bin/env python3
# CPU per process of shell commands, A/B: the commands alternate (order flipped each round), each run's CPU is
# the delta of RUSAGE_CHILDREN (user + system, the command's own and its shell's), after 2 warm-up rounds.
# Node cannot read RUSAGE_CHILDREN, hence Python (standard library only). Report: bench/throughput.md.
#   python3 bench/cpu-ab.py [--runs 40] [--pipe] NAME=COMMAND ...   (--pipe: stdout and stderr into one pipe,
#   read to the end, as Terraform's local-exec does; default /dev/null). Prints medians and ratios to the first.
import argparse, os, resource, statistics, subprocess, time

parser = argparse.ArgumentParser()
parser.add_argument('--runs', type=int, default=40)
parser.add_argument('--pipe', action='store_true')
parser.add_argument('cases', nargs='+', metavar='NAME=COMMAND')
args = parser.parse_args()
cases = [c.split('=', 1) for c in args.cases]
if any(len(c) != 2 for c in cases):
    parser.error('each case is NAME=COMMAND')
out = dict(stdout=subprocess.PIPE, stderr=subprocess.STDOUT) if args.pipe else \
    dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
cpu = {name: [] for name, _ in cases}
wall = {name: [] for name, _ in cases}
load = [os.getloadavg()[0]]
for i in range(args.runs + 2):
    for name, command in (cases if i % 2 == 0 else cases[::-1]):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, shell=True, **out)
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f'{name} exited with {done.returncode}: {command}')
        if i >= 2:
            cpu[name].append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
            wall[name].append(seconds * 1000)
load.append(os.getloadavg()[0])
base = statistics.median(cpu[cases[0][0]])
for name, _ in cases:
    m = statistics.median(cpu[name])
    print(f'{name:32s} cpu {m:6.1f} ms (x{m / base:.2f})  wall {statistics.median(wall[name]):6.1f} ms')
print(f'runs {args.runs} each, load {load[0]:.2f} -> {load[1]:.2f}')
