//! Records the live session whose replay the golden log hashes pin
//! (`tests/golden/baltic_seed5.journal.jsonl`), as a controller at the
//! dashboard would: the default scenario on seed 5, progress marks, an MSEL
//! inject fired early, a note, an ad-hoc step, and every decision point
//! answered in turn (the playbook's default, approve, reject), then quit.
//!
//! A change that moves the log of seed 5 on purpose moves the events a
//! journal counts, so the session is recorded again:
//!
//! ```sh
//! cargo run --example golden_session
//! PACESIM_GOLDEN_WRITE=1 cargo test --test integration golden
//! ```

use std::path::Path;

use pacesim::control::journal::{Header, Journal};
use pacesim::control::{Action, Advance, Session};
use pacesim::engine::{Duration, SimTime};

const JOURNAL: &str = "tests/golden/baltic_seed5.journal.jsonl";
const SEED: u64 = 5;

fn main() {
    let loaded = pacesim::scenario::default_scenario().expect("the bundled scenario");
    let playbooks = pacesim::playbook::load_named(&loaded.source.name, &loaded.scenario.playbooks)
        .expect("the playbooks it names");
    let cat = pacesim::run::compile(&loaded, &playbooks).expect("it compiles");
    let path = Path::new(JOURNAL);
    let _ = std::fs::remove_file(path);
    let journal = Journal::create(path, &Header::of(&loaded, &playbooks, SEED)).expect("journal");
    let mut s = Session::start(cat, SEED, Some(journal));
    let act = |s: &mut Session, a: Action| s.act(a).expect("journaled");
    let hours = |h: u64| SimTime(Duration::hours(h).0);

    // The opening hours at the dashboard, before any decision point.
    let script: [(SimTime, Vec<Action>); 4] = [
        (SimTime(43_951), vec![Action::Mark]),
        (SimTime(74_683), vec![Action::Fire { inject: 4 }]),
        (
            SimTime(97_565),
            vec![Action::Note {
                text: "golden note".into(),
            }],
        ),
        (
            hours(35),
            vec![Action::AdHoc {
                campaign: "blackout".into(),
                step: "phish-sadales".into(),
                note: String::new(),
            }],
        ),
    ];
    let mut answers = [None, Some(true), None, None, Some(false)]
        .into_iter()
        .cycle();
    let mut decide_until = |s: &mut Session, until: SimTime| loop {
        match s.advance_to(until, None) {
            Advance::Waiting(d) => {
                act(s, Action::Mark);
                act(
                    s,
                    Action::Decide {
                        decision: d,
                        approve: answers.next().flatten(),
                    },
                );
            }
            _ => return,
        }
    };
    for (at, actions) in script {
        decide_until(&mut s, at);
        for a in actions {
            act(&mut s, a);
        }
    }
    act(&mut s, Action::Speed { x: None });
    let end = s.end();
    decide_until(&mut s, end);
    act(&mut s, Action::Quit);
    println!(
        "recorded {JOURNAL}: {} events, log-hash {}",
        s.sim.model.log().len(),
        s.log_hash(None).expect("hash")
    );
}
