//! The EEAS StratCom task forces and the Rapid Alert System.
//!
//! The task forces' media monitoring picks a narrative up at a lower reach
//! than national communicators, confirms it, reports it to the Fusion Cell
//! and debunks it (EUvsDisinfo) in every member state it targets. Once it
//! spreads past the alert threshold, a RAS alert goes to every contact point:
//! states that had not noticed it answer it, states that had answer again
//! in a coordinated way, and platforms get a notice under the Code of Practice.

use std::collections::{BTreeMap, BTreeSet};

use super::protocol::{self, Stage};
use super::{EuEv, analysis, answered, draw, eu, eu_ref, ipcr, later};
use crate::engine::{Dist, SimTime};
use crate::log::{Context, Described, Domain, Record, kinds};
use crate::playbook::Body;
use crate::response::national::{self, NationalEv};
use crate::scenario::catalog::{Catalog, CountryIx, NarrativeIx};
use crate::threats::disinfo::DisinfoRecord;
use crate::world::Sim;

/// What the StratCom task forces and the Rapid Alert System log.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StratComRecord {
    Flagged {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    EuDebunk {
        narrative: NarrativeIx,
    },
    RasAlert {
        narrative: NarrativeIx,
    },
    RasShared {
        narrative: NarrativeIx,
    },
}

impl Record for StratComRecord {
    kinds! {
        Flagged => "stratcom_detection",
        EuDebunk => "stratcom_debunk",
        RasAlert => "rapid_alert",
        RasShared => "ras_shared" (routine),
    }

    fn domain(&self, _: &Catalog) -> Domain {
        Domain::Response
    }

    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a> {
        match *self {
            StratComRecord::Flagged { narrative, country } => {
                let n = cx.narrative(narrative);
                Described::new(format!(
                    "EEAS StratCom task force identifies the narrative \"{}\"",
                    n.title
                ))
                .actor("STRATCOM")
                .target(&n.id)
                .country(cx.country(country))
            }
            StratComRecord::EuDebunk { narrative } => {
                let n = cx.narrative(narrative);
                Described::new(format!("EUvsDisinfo debunks \"{}\"", n.title))
                    .actor("STRATCOM")
                    .target(&n.id)
            }
            StratComRecord::RasAlert { narrative } => {
                let n = cx.narrative(narrative);
                Described::new(format!(
                    "Rapid Alert System: alert to all member states on \"{}\"",
                    n.title
                ))
                .actor("RAS")
                .target(&n.id)
            }
            StratComRecord::RasShared { narrative } => {
                let n = cx.narrative(narrative);
                Described::new(format!(
                    "Rapid Alert System: StratCom shares \"{}\" with the contact points",
                    n.title
                ))
                .actor("RAS")
                .target(&n.id)
            }
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub enum StratComEv {
    Confirmed {
        narrative: NarrativeIx,
        country: CountryIx,
    },
    Alert(NarrativeIx),
}

#[derive(Debug, Default)]
pub struct StratComState {
    pub picked_up: BTreeSet<NarrativeIx>,
    pub confirmed: BTreeMap<NarrativeIx, SimTime>,
    pub alert_scheduled: BTreeSet<NarrativeIx>,
    pub alerted: BTreeMap<NarrativeIx, SimTime>,
}

/// The task forces' media monitoring watches narratives' reach.
pub fn on_disinfo(sim: &mut Sim, r: &DisinfoRecord) {
    let Some(s) = &sim.cat.response.stratcom else {
        return;
    };
    let DisinfoRecord::NarrativeReach {
        narrative,
        country,
        reach,
        ..
    } = *r
    else {
        return;
    };
    if !sim.cat.countries[country.i()].eu {
        return;
    }
    let reach = reach as f64;
    if reach >= s.spot_reach.0 && eu(sim).stratcom.picked_up.insert(narrative) {
        let d = draw(sim, |r| &mut r.stratcom, &s.analysis, 1.0);
        later(
            sim,
            d,
            EuEv::StratCom(StratComEv::Confirmed { narrative, country }),
        );
    }
    if let Some(ras) = &s.ras
        && reach >= ras.alert_reach.0
    {
        let ci = sim.cat.narratives[narrative.i()]
            .countries
            .binary_search(&country)
            .unwrap_or(0);
        let known = eu_ref(sim).stratcom.confirmed.contains_key(&narrative)
            || sim.narrative_ref(narrative).countries[ci].spotted;
        if known && eu(sim).stratcom.alert_scheduled.insert(narrative) {
            let d = draw(sim, |r| &mut r.stratcom, &ras.delay, ipcr::speed(sim));
            later(sim, d, EuEv::StratCom(StratComEv::Alert(narrative)));
        }
    }
}

pub fn handle(sim: &mut Sim, ev: StratComEv) {
    let s = sim
        .cat
        .response
        .stratcom
        .as_ref()
        .expect("StratCom present");
    let cat = sim.cat;
    match ev {
        StratComEv::Confirmed { narrative, country } => {
            let now = sim.now;
            eu(sim).stratcom.confirmed.insert(narrative, now);
            sim.emit(StratComRecord::Flagged { narrative, country });
            analysis::report(
                sim,
                analysis::Indicator {
                    source: Body::StratCom,
                    country,
                    domain: Domain::Disinfo,
                    campaign: sim
                        .narrative_ref(narrative)
                        .launched
                        .and_then(|l| l.1.campaign()),
                },
            );
            // EUvsDisinfo: a debunk in every member state the narrative targets.
            let mut st = sim.narrative(narrative);
            for (k, c) in cat.narratives[narrative.i()].countries.iter().enumerate() {
                if cat.countries[c.i()].eu {
                    let pc = &mut st.countries[k];
                    pc.debunk = (pc.debunk + s.debunk.0).min(0.6);
                }
            }
            sim.emit(StratComRecord::EuDebunk { narrative });
            answer_threat(sim, narrative);
            if let Some(share) = s.ras.as_ref().and_then(|r| r.sharing) {
                shared(sim, narrative, &share);
            }
        }
        StratComEv::Alert(narrative) => {
            let Some(ras) = &s.ras else {
                return;
            };
            let now = sim.now;
            eu(sim).stratcom.alerted.insert(narrative, now);
            sim.emit(StratComRecord::RasAlert { narrative });
            answer_threat(sim, narrative);
            protocol::reach(sim, Stage::Response);
            let mut first = None;
            for (k, &c) in cat.narratives[narrative.i()].countries.iter().enumerate() {
                if !cat.countries[c.i()].eu {
                    continue;
                }
                first.get_or_insert(c);
                // Only communicators who have noticed it are aware; a
                // national spotting still to come is overtaken by the alert.
                let known = {
                    let mut st = sim.narrative(narrative);
                    let pc = &mut st.countries[k];
                    pc.spotting_scheduled = true;
                    pc.spotted
                };
                let d = draw(sim, |r| &mut r.stratcom, &ras.national_response, 1.0);
                // Every alerted state answers with the alert's analysis; one
                // that had not noticed the narrative now watches it too.
                if !known {
                    national::later(
                        sim,
                        d,
                        NationalEv::NarrativeSpotted {
                            narrative,
                            country: c,
                        },
                    );
                }
                national::later(
                    sim,
                    d,
                    NationalEv::Debunk {
                        narrative,
                        country: c,
                        routine: false,
                    },
                );
            }
            if let Some(c) = first {
                let d = draw(sim, |r| &mut r.stratcom, &ras.national_response, 1.0);
                national::later(
                    sim,
                    d,
                    NationalEv::PlatformNotice {
                        narrative,
                        country: c,
                    },
                );
            }
        }
    }
}

/// StratCom posts an identified narrative to the RAS's contact points: the
/// member states it targets that have not noticed it start watching it. A
/// state's own noticing, if sooner, still comes first.
fn shared(sim: &mut Sim, narrative: NarrativeIx, within: &Dist) {
    let cat = sim.cat;
    sim.emit(StratComRecord::RasShared { narrative });
    for (k, &c) in cat.narratives[narrative.i()].countries.iter().enumerate() {
        if !cat.countries[c.i()].eu || sim.narrative_ref(narrative).countries[k].spotted {
            continue;
        }
        let d = draw(sim, |r| &mut r.ras_sharing, within, 1.0);
        national::later(
            sim,
            d,
            NationalEv::NarrativeSpotted {
                narrative,
                country: c,
            },
        );
    }
}

/// An EU debunk or alert answers the campaign that launched the narrative.
fn answer_threat(sim: &mut Sim, narrative: NarrativeIx) {
    if let Some(c) = sim
        .narrative_ref(narrative)
        .launched
        .and_then(|(_, by)| by.campaign())
    {
        answered(sim, c);
    }
}

/// StratCom and the RAS on the dashboard.
pub fn dashboard(st: &super::EuState, cat: &Catalog) -> String {
    let last = st
        .stratcom
        .alerted
        .iter()
        .max_by_key(|(_, t)| **t)
        .map_or(String::new(), |(n, t)| {
            format!(" ({} {t})", cat.narratives[n.i()].id)
        });
    format!(
        "{} found · Rapid Alert System: {} alerts{last}",
        st.stratcom.confirmed.len(),
        st.stratcom.alerted.len()
    )
}

/// What StratCom and the RAS did.
pub fn summary(eu: &super::metrics::EuMetrics) -> String {
    eu.stratcom.as_ref().map_or(String::new(), |sc| {
        let alerts: Vec<String> = sc
            .rapid_alerts
            .iter()
            .map(|(n, t)| format!("{n} {}", SimTime(*t)))
            .collect();
        format!(
            "{} narratives identified; alerts: {}",
            sc.narratives_identified,
            if alerts.is_empty() {
                "none".into()
            } else {
                alerts.join(", ")
            }
        )
    })
}

/// Outside experts help `country` answer every narrative it already knows
/// of: its debunks grow by `strength`, up to 0.6.
pub fn reinforce_debunks(sim: &mut Sim, country: CountryIx, strength: f64) {
    let cat = sim.cat;
    for ni in 0..cat.narratives.len() {
        let Ok(k) = cat.narratives[ni].countries.binary_search(&country) else {
            continue;
        };
        let mut st = sim.narrative(NarrativeIx::at(ni));
        let pc = &mut st.countries[k];
        if pc.spotted {
            pc.debunk = (pc.debunk + strength).min(0.6);
        }
    }
}

/// The highest reach of a hostile narrative in `c`.
pub fn top_reach(sim: &Sim, c: CountryIx) -> f64 {
    let cat = sim.cat;
    (0..cat.narratives.len())
        .filter_map(|ni| {
            let k = cat.narratives[ni].countries.binary_search(&c).ok()?;
            Some(sim.narrative_ref(NarrativeIx::at(ni)).countries[k].reach)
        })
        .fold(0.0, f64::max)
}
