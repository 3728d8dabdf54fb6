//! The event log's shared vocabulary: an [`Event`] is a time and a record;
//! every record type implements [`Record`] (its kind, domain, text and
//! whether it is a key event); [`Origin`] says who caused a threat effect.
//!
//! Record types live beside the code that makes them, one per room
//! (`threats::cyber::CyberRecord`, `infra::InfraRecord`,
//! `response::eu::ucpm::UcpmRecord`, ...). This module knows none of them:
//! the exercise gathers them into one log type, and [`jsonl`], the dashboard
//! and the reports work with any [`Record`].

pub mod jsonl;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::engine::SimTime;
pub use crate::scenario::catalog::Origin;
use crate::scenario::catalog::{
    ActorDef, CampaignDef, Catalog, CountryIx, NarrativeDef, NarrativeIx, NodeDef, NodeIx, StepRef,
};

/// One logged event: when, and what.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event<R> {
    pub t: SimTime,
    pub what: R,
}

/// The area of the exercise an event belongs to (the log's `domain` field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    Cyber,
    Cbrn,
    Disinfo,
    Infra,
    Response,
    Control,
}

impl Domain {
    pub const ALL: [Domain; 6] = [
        Domain::Cyber,
        Domain::Cbrn,
        Domain::Disinfo,
        Domain::Infra,
        Domain::Response,
        Domain::Control,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Domain::Cyber => "cyber",
            Domain::Cbrn => "cbrn",
            Domain::Disinfo => "disinfo",
            Domain::Infra => "infra",
            Domain::Response => "response",
            Domain::Control => "control",
        }
    }
}

/// A kind of record: its name in the log's `kind` field, and whether it
/// belongs in a timeline of key events (threats' effects, detections,
/// decisions) rather than being an hourly sample or routine work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Kind {
    pub name: &'static str,
    pub key: bool,
}

/// What every kind of record in the log says about itself.
pub trait Record: Copy + std::fmt::Debug + 'static {
    /// Every kind of record this type logs (declared with the `kinds!` macro).
    fn kinds() -> &'static [Kind];
    /// The log's `kind` field: a stable snake_case name.
    fn kind(&self) -> &'static str;
    /// Whether it belongs in a timeline of key events.
    fn is_key(&self) -> bool;
    /// The log's `domain` field.
    fn domain(&self, cat: &Catalog) -> Domain;
    /// Who and what it concerns, a sentence for people, and the details.
    fn describe<'a>(&self, cx: &Context<'a>) -> Described<'a>;
}

/// Whether records of `kind` (as read back from `events.jsonl`) are key events.
pub fn is_key_kind<R: Record>(kind: &str) -> bool {
    R::kinds()
        .iter()
        .find(|k| k.name == kind)
        .is_none_or(|k| k.key)
}

/// Declares a record type's kinds inside its `impl Record`: each variant,
/// its name in the log, and `(routine)` for what is not a key event.
/// Writes `kinds`, `kind` and `is_key`.
macro_rules! kinds {
    ($($variant:ident => $name:literal $(($routine:ident))?),* $(,)?) => {
        fn kinds() -> &'static [$crate::log::Kind] {
            &[$($crate::log::Kind { name: $name, key: kinds!(@key $($routine)?) }),*]
        }
        fn kind(&self) -> &'static str {
            match self {
                $(Self::$variant { .. } => $name,)*
            }
        }
        fn is_key(&self) -> bool {
            match self {
                $(Self::$variant { .. } => kinds!(@key $($routine)?),)*
            }
        }
    };
    (@key) => {
        true
    };
    (@key routine) => {
        false
    };
}
pub(crate) use kinds;

/// Declares a union of record types: one variant per type, [`Record`] by
/// delegation, and `gather`, which finds a record a room handed over as
/// `&dyn Any` among the union's types. `unions` nests other unions (the EU
/// mechanisms' records form one), so that adding a type touches one list.
macro_rules! records {
    (
        $(#[$meta:meta])* $vis:vis enum $name:ident {
            $($(#[$doc:meta])* $variant:ident($ty:ty),)*
        }
        unions {
            $($(#[$udoc:meta])* $uvariant:ident($uty:ty),)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        $vis enum $name {
            $($(#[$doc])* $variant($ty),)*
            $($(#[$udoc])* $uvariant($uty),)*
        }

        impl $crate::log::Record for $name {
            /// Every type's kinds.
            fn kinds() -> &'static [$crate::log::Kind] {
                static ALL: std::sync::LazyLock<Vec<$crate::log::Kind>> =
                    std::sync::LazyLock::new(|| {
                        [
                            $(<$ty as $crate::log::Record>::kinds(),)*
                            $(<$uty as $crate::log::Record>::kinds(),)*
                        ]
                        .concat()
                    });
                &ALL
            }
            fn kind(&self) -> &'static str {
                match self {
                    $($name::$variant(r) => r.kind(),)*
                    $($name::$uvariant(r) => r.kind(),)*
                }
            }
            fn domain(&self, cat: &$crate::scenario::catalog::Catalog) -> $crate::log::Domain {
                match self {
                    $($name::$variant(r) => r.domain(cat),)*
                    $($name::$uvariant(r) => r.domain(cat),)*
                }
            }
            fn describe<'a>(&self, cx: &$crate::log::Context<'a>) -> $crate::log::Described<'a> {
                match self {
                    $($name::$variant(r) => r.describe(cx),)*
                    $($name::$uvariant(r) => r.describe(cx),)*
                }
            }
            fn is_key(&self) -> bool {
                match self {
                    $($name::$variant(r) => r.is_key(),)*
                    $($name::$uvariant(r) => r.is_key(),)*
                }
            }
        }

        impl $name {
            /// A record a room handed over, if it is of one of the union's
            /// types; types are tried in the order listed.
            pub(crate) fn gather(r: &dyn std::any::Any) -> Option<$name> {
                $(if let Some(r) = r.downcast_ref::<$ty>() {
                    return Some($name::$variant(*r));
                })*
                $(if let Some(r) = <$uty>::gather(r) {
                    return Some($name::$uvariant(r));
                })*
                None
            }
        }
    };
}
pub(crate) use records;

/// What a record's text may refer to: the catalog, and the texts of
/// controller notes, which the log refers to by number.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub cat: &'a Catalog,
    pub notes: &'a [String],
}

impl<'a> Context<'a> {
    pub fn new(cat: &'a Catalog, notes: &'a [String]) -> Self {
        Context { cat, notes }
    }
    pub fn node(&self, n: NodeIx) -> &'a NodeDef {
        &self.cat.nodes[n.i()]
    }
    /// A country's id, e.g. `EE`.
    pub fn country(&self, c: CountryIx) -> &'a str {
        &self.cat.countries[c.i()].id
    }
    /// A country's name, e.g. `Estonia`.
    pub fn country_name(&self, c: CountryIx) -> &'a str {
        &self.cat.countries[c.i()].name
    }
    /// The national CSIRT's name, e.g. `EE-CSIRT`.
    pub fn csirt(&self, c: CountryIx) -> &'a str {
        &self.cat.countries[c.i()].csirt
    }
    pub fn narrative(&self, n: NarrativeIx) -> &'a NarrativeDef {
        &self.cat.narratives[n.i()]
    }
    pub fn campaign(&self, s: StepRef) -> &'a CampaignDef {
        &self.cat.campaigns[s.campaign.i()]
    }
    pub fn actor(&self, s: StepRef) -> &'a ActorDef {
        &self.cat.actors[self.campaign(s).actor.i()]
    }
    pub fn note(&self, n: u32) -> &'a str {
        self.notes.get(n as usize).map_or("", String::as_str)
    }
    /// The actor behind an origin: the campaign's threat actor, or exercise control.
    pub fn actor_of(&self, o: Origin) -> &'a str {
        match o {
            Origin::Step(s) => &self.actor(s).id,
            Origin::Inject(_) => "EXCON",
        }
    }
    /// A campaign's id, or `MSEL #n` for an inject.
    pub fn origin_name(&self, o: Origin) -> String {
        match o {
            Origin::Step(s) => self.campaign(s).id.to_string(),
            Origin::Inject(i) => format!("MSEL #{}", self.cat.injects[i.i()].inject.number),
        }
    }
    /// `campaign` and `step`, or `inject`, as details.
    pub fn origin_details(&self, o: Origin) -> Map<String, Value> {
        let mut m = Map::new();
        match o {
            Origin::Step(s) => {
                m.insert("campaign".into(), json!(&*self.campaign(s).id));
                m.insert("step".into(), json!(&*self.cat.step(s).id));
            }
            Origin::Inject(i) => {
                m.insert(
                    "inject".into(),
                    json!(self.cat.injects[i.i()].inject.number),
                );
            }
        }
        m
    }
}

/// The parts of an event a reader needs besides its time and kind.
pub struct Described<'a> {
    pub actor: Option<&'a str>,
    pub target: Option<&'a str>,
    pub country: Option<&'a str>,
    pub text: String,
    pub details: Map<String, Value>,
}

impl<'a> Described<'a> {
    pub fn new(text: impl Into<String>) -> Self {
        Described {
            actor: None,
            target: None,
            country: None,
            text: text.into(),
            details: Map::new(),
        }
    }
    pub fn actor(mut self, a: &'a str) -> Self {
        self.actor = Some(a);
        self
    }
    pub fn target(mut self, t: &'a str) -> Self {
        self.target = Some(t);
        self
    }
    pub fn country(mut self, c: &'a str) -> Self {
        self.country = Some(c);
        self
    }
    /// The node as target, and its country.
    pub fn at_node(self, cx: &Context<'a>, n: NodeIx) -> Self {
        let node = cx.node(n);
        self.target(&node.id).country(cx.country(node.country))
    }
    pub fn detail(mut self, key: &str, value: impl Serialize) -> Self {
        self.details.insert(key.into(), json!(value));
        self
    }
    /// Details of the campaign step or inject behind an effect.
    pub fn origin(mut self, cx: &Context<'a>, o: Origin) -> Self {
        self.details.extend(cx.origin_details(o));
        self
    }
}

/// A share or factor as the log prints it: three decimals.
pub fn round3(x: f32) -> f64 {
    (f64::from(x) * 1000.0).round() / 1000.0
}
