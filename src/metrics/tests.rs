//! Live and headless measures agree: the dashboard's ratings at any instant
//! are the ones `pacesim run --until` gives at that instant.

use super::{Summary, values};
use crate::control::Session;
use crate::engine::{Duration, SimTime};
use crate::run::{compile, execute};
use crate::scenario::default_scenario;

/// The default scenario with national responders only: no decision waits
/// for players, so a live session and a headless run play the same events.
fn national_only() -> std::sync::Arc<crate::scenario::catalog::Catalog> {
    compile(
        &default_scenario().expect("the bundled scenario loads"),
        &[],
    )
    .expect("the bundled scenario compiles")
}

#[test]
fn live_ratings_equal_headless_ratings_at_every_instant_outages_under_way_included() {
    let cat = national_only();
    let seed = 5;
    let mut session = Session::start(cat.clone(), seed, None);
    let mut checked_open_outage = false;
    let mut lost_before = 0.0;
    for at in ["1d", "3d", "5d 21h", "8d 7h 13m 5s", "14d"] {
        let t: Duration = at.parse().unwrap();
        session.advance_to(SimTime(t.0), None);
        assert_eq!(session.now(), SimTime(t.0));
        let live = Summary::measure(&session.sim.model, session.now());
        let headless = execute(cat.clone(), seed, Some(t)).summary;
        assert_eq!(live.events, headless.events, "at {at}: the same events");
        for (l, h) in live.objectives.iter().zip(&headless.objectives) {
            assert_eq!(
                (l.rating, l.measured),
                (h.rating, h.measured),
                "objective {} at {at}: live {} vs headless {}",
                l.id,
                l.finding,
                h.finding
            );
        }
        assert_eq!(
            values(&cat, false, &live),
            values(&cat, false, &headless),
            "every metric at {at}"
        );
        // Service lost only grows, and an outage under way counts up to the
        // instant (the dashboard once showed 0 node-hours mid-outage).
        let lost = live.infrastructure.node_hours_lost;
        assert!(lost >= lost_before, "at {at}: {lost} after {lost_before}");
        let world = session.sim.model.world();
        let open: Vec<_> = crate::world::all_in_order::<crate::world::InfraState>(world)
            .into_iter()
            .filter(|n| n.impaired_since.is_some() && n.service < 1.0)
            .collect();
        if !open.is_empty() {
            checked_open_outage = true;
            assert!(lost > lost_before, "at {at}: outages under way add nothing");
        }
        lost_before = lost;
    }
    assert!(
        checked_open_outage,
        "some instant should fall inside an outage for this test to mean something"
    );
}
