"""A synthetic scenario for the scaling benchmark: N infrastructure nodes in
10 states, each depending on one or two earlier ones, and K cyber campaigns that
disrupt nodes and spread wipers.

usage: python gen_scenario.py NODES CAMPAIGNS > scenario.ron
"""
import random
import sys

nodes, campaigns = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(nodes * 31 + campaigns)
sectors = ["Energy", "Telecom", "Finance", "Transport", "Health", "Water", "Government"]
countries = [f"C{i}" for i in range(10)]
out = []
w = out.append
w('Scenario(name: "scaling %d nodes, %d campaigns", start: "2026-01-01T00:00:00Z", duration: "7d", seed: 1,' % (nodes, campaigns))
w("  countries: [")
for c in countries:
    w(f'    (id: "{c}", name: "{c}", population: 5000000, trust: 0.5, capacities: (cyber: 0.7, cbrn_detection: 0.5, civil_protection: 0.6, health: 0.6, stratcom: 0.6), resources: (csirt_teams: 4, repair_crews: 20, decon_units: 2, surge_beds: 100, countermeasure_doses: 100)),')
w('  ], actors: [(id: "APT", name: "APT", kind: ThreatActor)],')
w("  infrastructure: (nodes: [")
for i in range(nodes):
    # Compact lines: a 100,000-node scenario must stay under the 24 MB input limit.
    w(f'(id:"n{i}",name:"n",sector:{sectors[i % 7]},country:"{countries[i % 10]}",serves:10000,restore:LogNormal(median:"6h",sigma:0.5)),')
w("  ], dependencies: [")
for i in range(1, nodes):
    # One supplier each, a second for every fourth node: about 1.25 links a node.
    for _ in range(2 if i % 4 == 0 and i > 2 else 1):
        j = rng.randrange(i)
        w(f'(supplier:"n{j}",dependent:"n{i}",delay:"{rng.randint(1, 12)}h",probability:{rng.random() * 0.6:.2f}),')
w("  ]),")
w("  campaigns: [")
for k in range(campaigns):
    t1, t2 = rng.randrange(nodes), rng.randrange(nodes)
    w(f'    (id: "c{k}", name: "campaign {k}", actor: "APT", start: "{rng.randint(0, 96)}h", steps: [')
    w(f'      (id: "in", delay: Exponential(mean: "6h"), success: 1.0, action: Intrusion(target: "n{t1}")),')
    w(f'      (id: "hit", delay: Exponential(mean: "12h"), success: 1.0, action: Disrupt(target: "n{t1}", severity: 1.0)),')
    w(f'      (id: "wipe", delay: Exponential(mean: "6h"), success: 1.0, action: Wiper(seeds: ["n{t2}"], spread: 0.5, hop_delay: Exponential(mean: "30m"), max_nodes: Some(50))),')
    w("    ]),")
w("  ],")
w(")")
print("\n".join(out))
