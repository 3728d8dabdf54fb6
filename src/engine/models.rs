//! Reference models written against the bare engine: an M/M/c queue (for
//! validation against queueing theory) and PHOLD (the classic event-rate
//! benchmark). They show what a model needs: an event type, a `handle`, and
//! random streams; and they are what `bench/compare` measures.

use std::collections::VecDeque;

use crate::engine::sample::Exp;
use rand::RngExt;

use super::{EventQueue, Model, Priority, RngStreams, SimRng, SimTime, Simulation};

/// Engine ticks per model time unit: model times are drawn as reals and kept
/// to the microsecond.
pub const TICKS: f64 = 1_000_000.0;

fn ticks(x: f64) -> u64 {
    (x * TICKS).round().max(1.0) as u64
}

#[derive(Clone, Copy, Debug)]
pub enum QueueEv {
    Arrival,
    Departure,
}

/// M/M/c: Poisson arrivals at rate `lambda`, `servers` exponential servers at
/// rate `mu` each, first come first served. Records each customer's wait.
pub struct MmcQueue {
    arrivals: Exp,
    service: Exp,
    rng_arrivals: SimRng,
    rng_service: SimRng,
    servers: u32,
    busy: u32,
    /// Arrival times of the waiting customers.
    line: VecDeque<SimTime>,
    /// Customers still to arrive.
    remaining: u64,
    /// Waiting time of every customer served, in model time units, in arrival order of service start.
    pub waits: Vec<f64>,
    pub events: u64,
}

impl MmcQueue {
    pub fn new(
        lambda: f64,
        mu: f64,
        servers: u32,
        customers: u64,
        seed: u64,
    ) -> Simulation<MmcQueue> {
        let streams = RngStreams::new(seed);
        let model = MmcQueue {
            arrivals: Exp::new(lambda).expect("a positive arrival rate"),
            service: Exp::new(mu).expect("a positive service rate"),
            rng_arrivals: streams.stream("arrivals"),
            rng_service: streams.stream("service"),
            servers,
            busy: 0,
            line: VecDeque::new(),
            remaining: customers,
            waits: Vec::with_capacity(customers as usize),
            events: 0,
        };
        let mut sim = Simulation::new(model);
        sim.queue
            .schedule_at(SimTime(0), Priority::NORMAL, QueueEv::Arrival);
        sim
    }

    fn start_service(&mut self, queue: &mut EventQueue<QueueEv>, arrived: SimTime, now: SimTime) {
        self.busy += 1;
        self.waits.push(now.since(arrived).0 as f64 / TICKS);
        let d = ticks(self.service.sample(&mut self.rng_service));
        queue.schedule_in(d, Priority::NORMAL, QueueEv::Departure);
    }
}

impl Model for MmcQueue {
    type Event = QueueEv;

    fn handle(&mut self, queue: &mut EventQueue<QueueEv>, now: SimTime, ev: QueueEv) {
        self.events += 1;
        match ev {
            QueueEv::Arrival => {
                if self.busy < self.servers {
                    self.start_service(queue, now, now);
                } else {
                    self.line.push_back(now);
                }
                self.remaining -= 1;
                if self.remaining > 0 {
                    let d = ticks(self.arrivals.sample(&mut self.rng_arrivals));
                    queue.schedule_in(d, Priority::NORMAL, QueueEv::Arrival);
                }
            }
            QueueEv::Departure => {
                self.busy -= 1;
                if let Some(arrived) = self.line.pop_front() {
                    self.start_service(queue, arrived, now);
                }
            }
        }
    }
}

/// Erlang C: mean wait in queue of M/M/c.
pub fn erlang_c_wait(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / c as f64;
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / k as f64;
        sum += term;
    }
    let last = term * a / c as f64 / (1.0 - rho);
    let p_wait = last / (sum + last);
    p_wait / (c as f64 * mu - lambda)
}

/// PHOLD: `lps` logical processes, `per_lp` events each in flight; every
/// event schedules one more at a uniformly chosen process after 0.1 + Exp(1).
pub struct Phold {
    lps: u32,
    delay: Exp,
    rng: SimRng,
    pub events: u64,
    pub limit: u64,
    /// Events handled per process (the work a real model would do there).
    pub per_process: Vec<u64>,
}

impl Phold {
    pub fn new(lps: u32, per_lp: u32, limit: u64, seed: u64) -> Simulation<Phold> {
        let streams = RngStreams::new(seed);
        let mut model = Phold {
            lps,
            delay: Exp::new(1.0).expect("rate 1"),
            rng: streams.stream("phold"),
            events: 0,
            limit,
            per_process: vec![0; lps as usize],
        };
        let mut initial = Vec::new();
        for lp in 0..lps {
            for _ in 0..per_lp {
                initial.push((ticks(0.1 + model.delay.sample(&mut model.rng)), lp));
            }
        }
        let mut sim = Simulation::new(model);
        for (t, lp) in initial {
            sim.queue.schedule_at(SimTime(t), Priority::NORMAL, lp);
        }
        sim
    }
}

impl Model for Phold {
    type Event = u32;

    fn handle(&mut self, queue: &mut EventQueue<u32>, _now: SimTime, lp: u32) {
        self.events += 1;
        self.per_process[lp as usize] += 1;
        if self.events < self.limit {
            let target = self.rng.random_range(0..self.lps);
            let d = ticks(0.1 + self.delay.sample(&mut self.rng));
            queue.schedule_in(d, Priority::NORMAL, target);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mean and 95 % confidence half-width over independent replications.
    fn ci(xs: &[f64]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
        // t quantile for 29 degrees of freedom.
        (mean, 2.045 * (var / n).sqrt())
    }

    /// Mean wait after deleting the warm-up, for each of 30 replications.
    fn replications(lambda: f64, mu: f64, c: u32) -> Vec<f64> {
        (0..30)
            .map(|r| {
                let mut sim = MmcQueue::new(lambda, mu, c, 40_000, 1000 + r);
                while sim.step().is_some() {}
                let w = &sim.model.waits[4_000..];
                w.iter().sum::<f64>() / w.len() as f64
            })
            .collect()
    }

    #[test]
    fn mm1_mean_wait_matches_the_formula() {
        let (lambda, mu) = (0.7, 1.0);
        let expected = lambda / (mu * (mu - lambda));
        let (mean, half) = ci(&replications(lambda, mu, 1));
        assert!(
            (mean - expected).abs() <= half,
            "M/M/1 Wq {mean:.4} ± {half:.4}, formula {expected:.4}"
        );
    }

    #[test]
    fn mmc_mean_wait_matches_erlang_c() {
        // A pool of 3 modules serving requests, 80 % busy.
        let (lambda, mu, c) = (2.4, 1.0, 3);
        let expected = erlang_c_wait(lambda, mu, c);
        let (mean, half) = ci(&replications(lambda, mu, c));
        assert!(
            (mean - expected).abs() <= half,
            "M/M/3 Wq {mean:.4} ± {half:.4}, Erlang C {expected:.4}"
        );
    }

    #[test]
    fn erlang_c_reduces_to_mm1() {
        assert!((erlang_c_wait(0.9, 1.0, 1) - 9.0).abs() < 1e-9);
    }

    #[test]
    fn phold_runs_to_its_limit_and_spreads_work() {
        let mut sim = Phold::new(100, 1, 50_000, 7);
        while sim.step().is_some() {}
        assert_eq!(sim.model.events, 50_000 + 99);
        assert!(sim.model.per_process.iter().all(|&n| n > 300));
    }
}
