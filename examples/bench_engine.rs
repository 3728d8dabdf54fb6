//! Event-rate workloads for `bench/compare`: M/M/1 and PHOLD through
//! pacesim's engine, and the same on a bare `BinaryHeap` loop (the limit of
//! the data structure). Prints one line: `events=N secs=S events_per_s=R`.
//!
//! ```sh
//! cargo run --release --example bench_engine -- mm1 1000000
//! cargo run --release --example bench_engine -- phold 1000 2000000
//! cargo run --release --example bench_engine -- heap-mm1 1000000
//! cargo run --release --example bench_engine -- heap-phold 1000 2000000
//! ```

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::time::Instant;

use pacesim::engine::RngStreams;
use pacesim::engine::models::{MmcQueue, Phold, TICKS};
use pacesim::engine::sample::Exp;
use rand::RngExt;

fn ticks(x: f64) -> u64 {
    (x * TICKS).round().max(1.0) as u64
}

/// M/M/1 on a bare heap of (time, seq, event): what the engine's queue costs at least.
fn heap_mm1(customers: u64) -> u64 {
    let s = RngStreams::new(1);
    let (mut ra, mut rs) = (s.stream("arrivals"), s.stream("service"));
    let (arr, srv) = (Exp::new(0.9).unwrap(), Exp::new(1.0).unwrap());
    let mut heap: BinaryHeap<Reverse<(u64, u64, bool)>> = BinaryHeap::new();
    let (mut seq, mut events, mut left, mut busy) = (0u64, 0u64, customers, false);
    let mut line: VecDeque<u64> = VecDeque::new();
    let mut wait_sum = 0u64;
    heap.push(Reverse((0, 0, true)));
    while let Some(Reverse((now, _, arrival))) = heap.pop() {
        events += 1;
        if arrival {
            if busy {
                line.push_back(now);
            } else {
                busy = true;
                seq += 1;
                heap.push(Reverse((now + ticks(srv.sample(&mut rs)), seq, false)));
            }
            left -= 1;
            if left > 0 {
                seq += 1;
                heap.push(Reverse((now + ticks(arr.sample(&mut ra)), seq, true)));
            }
        } else if let Some(t) = line.pop_front() {
            wait_sum += now - t;
            seq += 1;
            heap.push(Reverse((now + ticks(srv.sample(&mut rs)), seq, false)));
        } else {
            busy = false;
        }
    }
    std::hint::black_box(wait_sum);
    events
}

fn heap_phold(lps: u32, limit: u64) -> u64 {
    let s = RngStreams::new(1);
    let mut rng = s.stream("phold");
    let delay = Exp::new(1.0).unwrap();
    let mut heap: BinaryHeap<Reverse<(u64, u64, u32)>> = BinaryHeap::new();
    let mut seq = 0u64;
    for lp in 0..lps {
        seq += 1;
        heap.push(Reverse((ticks(0.1 + delay.sample(&mut rng)), seq, lp)));
    }
    let mut per = vec![0u64; lps as usize];
    let mut events = 0u64;
    while let Some(Reverse((now, _, lp))) = heap.pop() {
        events += 1;
        per[lp as usize] += 1;
        if events < limit {
            let target = rng.random_range(0..lps);
            seq += 1;
            heap.push(Reverse((
                now + ticks(0.1 + delay.sample(&mut rng)),
                seq,
                target,
            )));
        }
    }
    std::hint::black_box(&per);
    events
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let num = |i: usize, d: u64| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let started = Instant::now();
    let events = match args.first().map(String::as_str) {
        Some("mm1") => {
            let mut sim = MmcQueue::new(0.9, 1.0, 1, num(1, 1_000_000), 1);
            while sim.step().is_some() {}
            sim.model.events
        }
        Some("phold") => {
            let mut sim = Phold::new(num(1, 1000) as u32, 1, num(2, 2_000_000), 1);
            while sim.step().is_some() {}
            sim.model.events
        }
        Some("heap-mm1") => heap_mm1(num(1, 1_000_000)),
        Some("heap-phold") => heap_phold(num(1, 1000) as u32, num(2, 2_000_000)),
        Some("scenario") => {
            // Setup (catalog, world with one entity per node) apart from the
            // event loop, whose rate is what the scaling benchmark follows.
            let path = args.get(1).expect("a scenario file");
            let loaded = pacesim::scenario::load_file(std::path::Path::new(path))
                .unwrap_or_else(|d| panic!("{}", d[0].render(false)));
            let cat = pacesim::run::compile(&loaded, &[]).expect("compiles");
            let setup = Instant::now();
            let mut sim = pacesim::exercise::Exercise::start(cat.clone(), 1);
            let setup = setup.elapsed().as_secs_f64();
            let looped = Instant::now();
            sim.run_until(pacesim::engine::SimTime(cat.duration.0));
            let secs = looped.elapsed().as_secs_f64();
            let events = sim.model.log().len() as u64;
            println!(
                "events={events} secs={secs:.4} events_per_s={:.0} setup_secs={setup:.4} nodes={}",
                events as f64 / secs,
                cat.nodes.len()
            );
            return;
        }
        _ => {
            eprintln!("usage: bench_engine mm1|phold|heap-mm1|heap-phold [sizes]");
            std::process::exit(2);
        }
    };
    let secs = started.elapsed().as_secs_f64();
    println!(
        "events={events} secs={secs:.4} events_per_s={:.0}",
        events as f64 / secs
    );
}
