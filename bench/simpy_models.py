"""M/M/1 and PHOLD in SimPy, the same workloads as examples/bench_engine.rs.

usage: python simpy_models.py mm1 CUSTOMERS | phold LPS EVENTS
prints: events=N secs=S events_per_s=R
"""
import random
import sys
import time

import simpy


def mm1(customers):
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    rng = random.Random(1)
    events = [0]
    waits = []

    def customer(env):
        arrived = env.now
        with server.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0))
        events[0] += 1  # departure

    def source(env):
        for _ in range(customers):
            env.process(customer(env))
            events[0] += 1  # arrival
            yield env.timeout(rng.expovariate(0.9))

    env.process(source(env))
    env.run()
    return events[0]


def phold(lps, limit):
    env = simpy.Environment()
    rng = random.Random(1)
    count = [0]
    per = [0] * lps

    def fire(lp):
        count[0] += 1
        per[lp] += 1
        if count[0] < limit:
            target = rng.randrange(lps)
            ev = env.timeout(0.1 + rng.expovariate(1.0))
            ev.callbacks.append(lambda _e, t=target: fire(t))

    for lp in range(lps):
        ev = env.timeout(0.1 + rng.expovariate(1.0))
        ev.callbacks.append(lambda _e, t=lp: fire(t))
    env.run()
    return count[0]


if __name__ == "__main__":
    kind = sys.argv[1]
    start = time.perf_counter()
    if kind == "mm1":
        n = mm1(int(sys.argv[2]))
    else:
        n = phold(int(sys.argv[2]), int(sys.argv[3]))
    secs = time.perf_counter() - start
    print(f"events={n} secs={secs:.4f} events_per_s={n / secs:.0f}")
