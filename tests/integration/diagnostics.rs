//! Mistakes a scenario author makes in an otherwise good file: each is
//! refused with exit 2 and a diagnostic naming `file:line:col`, showing the
//! line and, where there is an obvious fix, suggesting it.

use crate::util::{Outcome, mini_text, mini_with, pacesim, tempdir};

/// 1-based line and character column of the `nth` occurrence of `needle`.
#[track_caller]
fn line_col(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let at = text
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the test file"))
        .0;
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The line of `text` holding the `nth` `needle`, as written.
fn line_of<'a>(text: &'a str, needle: &str, nth: usize) -> &'a str {
    text.lines().nth(line_col(text, needle, nth).0 - 1).unwrap()
}

/// Writes `text` as `name` in a fresh directory and validates it, then checks
/// that `run` refuses it with the same message.
/// Asserts `out` names `file` at the `nth` occurrence of `needle` in `text`.
#[track_caller]
fn points_at(out: &Outcome, file: &str, text: &str, needle: &str, nth: usize) {
    let (line, col) = line_col(text, needle, nth);
    out.stderr_has(&format!("{file}:{line}:{col}"));
}

fn validate(name: &str, text: &str) -> Outcome {
    let dir = tempdir();
    std::fs::write(dir.path().join(name), text).unwrap();
    let validated = pacesim(dir.path(), ["validate", name]);
    validated.refused();
    let ran = pacesim(dir.path(), ["run", name]);
    ran.refused();
    assert_eq!(
        ran.stderr, validated.stderr,
        "run and validate should report the same problems"
    );
    validated
}

/// Asserts some `help` line of the diagnostic mentions `suggestion`.
#[track_caller]
fn suggests(out: &Outcome, suggestion: &str) {
    let ok = out
        .stderr
        .lines()
        .any(|l| l.contains("help") && l.contains(suggestion));
    assert!(
        ok,
        "a help line should suggest {suggestion:?}\n{}",
        out.context()
    );
}

#[test]
fn misspelt_reference_is_located_shown_and_corrected() {
    let from = r#"(supplier: "EE-grid", dependent: "EE-hosp""#;
    let text = mini_with(from, r#"(supplier: "EE-gird", dependent: "EE-hosp""#);
    let out = validate("typo.ron", &text);
    let (line, col) = line_col(&text, "\"EE-gird\"", 0);
    assert_eq!((line, col), (30, 24), "test file layout changed");
    out.stderr_has(&format!("typo.ron:{line}:{col}"));
    out.stderr_has("EE-gird");
    out.stderr_has(line_of(&text, "EE-gird", 0).trim());
    suggests(&out, "EE-grid");
}

#[test]
fn misspelt_references_of_other_kinds_are_located_and_corrected() {
    for (from, to, wrong, right) in [
        (
            r#"action: Intrusion(target: "EE-grid")"#,
            r#"action: Intrusion(target: "EE-gridd")"#,
            "EE-gridd",
            "EE-grid",
        ),
        (
            r#"audiences: ["EE-ru", "LV-all"]"#,
            r#"audiences: ["EE-ru", "LV-al"]"#,
            "LV-al",
            "LV-all",
        ),
        (
            r#"When(NodeDown("EE-grid"))"#,
            r#"When(NodeDown("EE-grdi"))"#,
            "EE-grdi",
            "EE-grid",
        ),
        (
            r#"DetectWithin(campaign: "grid""#,
            r#"DetectWithin(campaign: "gird""#,
            "gird",
            "grid",
        ),
        (
            r#"name: "Latvia", population"#,
            r#"name: "Latvia", popluation"#,
            "popluation",
            "population",
        ),
        (
            r#"sector: Telecom, country: "LV""#,
            r#"sector: Telekom, country: "LV""#,
            "Telekom",
            "Telecom",
        ),
    ] {
        let text = mini_with(from, to);
        let out = validate("ref.ron", &text);
        // A quoted id is located at its opening quote, a bare word at its first letter.
        let quoted = format!("\"{wrong}\"");
        let (line, col) = line_col(
            &text,
            if text.contains(&quoted) {
                &quoted
            } else {
                wrong
            },
            0,
        );
        out.stderr_has(&format!("ref.ron:{line}:{col}"));
        suggests(&out, right);
    }
}

#[test]
fn unknown_field_suggests_the_field_meant() {
    let text = mini_with(
        "    name: \"Mini hybrid test\",",
        "    nmae: \"Mini hybrid test\",",
    );
    let out = validate("field.ron", &text);
    out.stderr_has("field.ron:4:5");
    suggests(&out, "`name`");
}

#[test]
fn bad_duration_names_the_file_and_line() {
    for (from, to) in [
        (r#"delay: "30m""#, r#"delay: "5x""#),
        (r#"duration: "4d""#, r#"duration: "5x""#),
        (r#"restore: Fixed("4h")"#, r#"restore: Fixed("5x")"#),
        (
            r#"Uniform(min: "6h", max: "12h")"#,
            r#"Uniform(min: "6h", max: "5x")"#,
        ),
        (r#"at: Time("1h")"#, r#"at: Time("5x")"#),
        (r#"within: "24h""#, r#"within: "5x""#),
    ] {
        let text = mini_with(from, to);
        let line = line_col(&text, "\"5x\"", 0).0;
        validate("dur.ron", &text)
            .stderr_has(&format!("dur.ron:{line}:"))
            .stderr_has("5x");
    }
}

#[test]
fn impossible_distributions_are_located() {
    for (from, to) in [
        (
            r#"Uniform(min: "6h", max: "12h")"#,
            r#"Uniform(min: "12h", max: "6h")"#,
        ),
        (r#"Exponential(mean: "1h")"#, r#"Exponential(mean: "0s")"#),
    ] {
        let text = mini_with(from, to);
        let line = line_col(&text, to, 0).0;
        validate("dist.ron", &text).stderr_has(&format!("dist.ron:{line}:"));
    }
}

#[test]
fn fraction_out_of_range_is_located() {
    for (from, to, bad) in [
        (
            r#"delay: "6h", probability: 0.3"#,
            r#"delay: "6h", probability: 1.5"#,
            "1.5",
        ),
        (
            r#"nato: true, trust: 0.45"#,
            r#"nato: true, trust: -0.1"#,
            "-0.1",
        ),
        (r#"severe: 0.2"#, r#"severe: 2.0"#, "2.0"),
    ] {
        let text = mini_with(from, to);
        let line = line_col(&text, to, 0).0;
        validate("frac.ron", &text)
            .stderr_has(&format!("frac.ron:{line}:"))
            .stderr_has(bad);
    }
}

#[test]
fn step_waiting_for_a_later_step_is_located() {
    let text = mini_with(
        r#"(id: "trip", delay:"#,
        r#"(id: "trip", after: Some("wipe"), delay:"#,
    );
    let out = validate("after.ron", &text);
    let (line, _) = line_col(&text, r#"Some("wipe")"#, 0);
    out.stderr_has(&format!("after.ron:{line}:"))
        .stderr_has("wipe")
        .stderr_has("trip");
}

#[test]
fn step_waiting_for_an_unknown_step_suggests_an_earlier_one() {
    let text = mini_with(r#"after: Some("phish")"#, r#"after: Some("phsh")"#);
    let out = validate("after.ron", &text);
    let (line, _) = line_col(&text, "phsh", 0);
    out.stderr_has(&format!("after.ron:{line}:"));
    suggests(&out, "phish");
}

#[test]
fn duplicate_ids_point_at_the_second_use() {
    for (from, to, id) in [
        (r#"(id: "poison", name"#, r#"(id: "grid", name"#, "grid"),
        (
            r#"(id: "EE-hosp", name"#,
            r#"(id: "EE-bank", name"#,
            "EE-bank",
        ),
        (r#"(id: "O6","#, r#"(id: "O5","#, "O5"),
    ] {
        let text = mini_with(from, to);
        let (line, _) = line_col(&text, to, text.matches(to).count() - 1);
        validate("dup.ron", &text)
            .stderr_has(&format!("dup.ron:{line}:"))
            .stderr_has(id);
    }
    let text = mini_with("(number: 2,", "(number: 1,");
    let (line, _) = line_col(&text, "(number: 1,", 1);
    validate("dup.ron", &text).stderr_has(&format!("dup.ron:{line}:"));
}

#[test]
fn every_problem_in_a_file_is_reported() {
    let text = mini_with(
        r#"(supplier: "EE-grid", dependent: "EE-hosp""#,
        r#"(supplier: "EE-gird", dependent: "EE-hosp""#,
    );
    let text = text.replacen(
        r#"Intrusion(target: "EE-grid")"#,
        r#"Intrusion(target: "EE-grdi")"#,
        1,
    );
    let out = validate("two.ron", &text);
    for wrong in ["\"EE-gird\"", "\"EE-grdi\""] {
        let (line, _) = line_col(&text, wrong, 0);
        out.stderr_has(&format!("two.ron:{line}:"));
    }
}

#[test]
fn empty_id_is_located_at_the_id() {
    for (from, to) in [
        (r#"(id: "EE-ru""#, r#"(id: """#),
        (r#"(id: "O3""#, r#"(id: "  ""#),
    ] {
        let text = mini_with(from, to);
        let (line, col) = line_col(&text, to, 0);
        // The id's quotes start 5 characters into `(id: "`.
        validate("blank.ron", &text).stderr_has(&format!("blank.ron:{line}:{}", col + 5));
    }
}

/// 1-based line and column of every occurrence of `needle`.
fn all_line_cols(text: &str, needle: &str) -> Vec<(usize, usize)> {
    (0..text.matches(needle).count())
        .map(|n| line_col(text, needle, n))
        .collect()
}

#[test]
fn a_bad_reference_repeated_is_reported_at_each_use() {
    // Every reference to the grid misspelt; the node itself keeps its id.
    let text = mini_text().replace("\"EE-grid\"", "\"EE-gird\"").replacen(
        "(id: \"EE-gird\"",
        "(id: \"EE-grid\"",
        1,
    );
    let uses = all_line_cols(&text, "\"EE-gird\"");
    assert!(uses.len() >= 6, "mini.ron refers to the grid often");
    let out = validate("typos.ron", &text);
    for (line, col) in &uses {
        out.stderr_has(&format!("typos.ron:{line}:{col}"));
    }
    assert_eq!(
        out.stderr.matches("`EE-gird`").count(),
        uses.len(),
        "one error per use\n{}",
        out.context()
    );
    suggests(&out, "EE-grid");
}

#[test]
fn a_decision_in_a_campaign_step_is_refused_where_it_is_written() {
    let text = mini_with(
        "lethality: 0.3)),",
        "lethality: 0.3)),\n            (id: \"decide\", delay: Fixed(\"1h\"), success: 1.0,\n             action: Decide(InvokeSolidarity(\"EE\"))),",
    );
    let out = validate("decide.ron", &text);
    out.refused();
    points_at(&out, "decide.ron", &text, "Decide(", 0);
    out.stderr_has("exercise control's to script");
}

#[test]
fn a_leak_in_an_inject_is_refused_where_it_is_written() {
    // Exercise control has no foothold to publish from.
    let text = mini_with(
        "message: \"The exercise begins.\", expected_action: \"Acknowledge.\"),",
        "message: \"The exercise begins.\", expected_action: \"Acknowledge.\",\n         effect: Some(Leak(from: \"EE-grid\", narrative: \"blackout\"))),",
    );
    let out = validate("leak.ron", &text);
    out.refused();
    points_at(&out, "leak.ron", &text, "Leak(", 0);
    out.stderr_has("what a campaign's foothold stole");
}

#[test]
fn a_step_that_follows_another_campaign_is_checked_where_it_is_written() {
    // In the chemical campaign: a step with both `after` and `follows`, one
    // that `follows` its own campaign, one naming a step the grid campaign
    // does not have.
    let steps = [
        r#"(id: "both", after: Some("start"), follows: Some((campaign: "grid", step: "phish")), delay: Fixed("1h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 0.5)),"#,
        r#"(id: "own", follows: Some((campaign: "poison", step: "release")), delay: Fixed("1h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 0.5)),"#,
        r#"(id: "ghost", follows: Some((campaign: "grid", step: "nowhere")), delay: Fixed("1h"), success: 1.0, action: Disrupt(target: "EE-grid", severity: 0.5)),"#,
    ];
    let text = mini_with(
        "lethality: 0.3)),",
        &format!(
            "lethality: 0.3)),\n            {}",
            steps.join("\n            ")
        ),
    );
    let out = validate("follows.ron", &text);
    out.refused();
    for value in [
        r#"(campaign: "grid", step: "phish")"#,
        r#""poison", step: "release""#,
        r#""nowhere""#,
    ] {
        points_at(&out, "follows.ron", &text, value, 0);
    }
    out.stderr_has("not both")
        .stderr_has("use `after`")
        .stderr_has("nowhere");
}

#[test]
fn an_objective_s_nodes_are_checked_where_they_are_written() {
    // A telecom node in an energy objective, and a node that does not exist.
    let text = mini_with(
        r#"RestoreWithin(sector: Energy, country: Some("EE"), within: "12h")"#,
        r#"RestoreWithin(sector: Energy, nodes: Some(["EE-grid", "EE-tel", "EE-nowhere"]), within: "12h")"#,
    );
    let out = validate("nodes.ron", &text);
    out.refused();
    for value in [r#""EE-tel""#, r#""EE-nowhere""#] {
        let last = text.matches(value).count() - 1;
        points_at(&out, "nodes.ron", &text, value, last);
    }
    out.stderr_has("it is telecom in EE")
        .stderr_has("EE-nowhere");
}

#[test]
fn a_scanning_worm_with_nothing_to_scan_is_refused_where_it_is_written() {
    let text = mini_with(
        "max_nodes: Some(4))),",
        r#"max_nodes: Some(4), scan: Some((sectors: [Elections], countries: ["XX"], probes: 0)))),"#,
    );
    let out = validate("scan.ron", &text);
    out.refused();
    points_at(&out, "scan.ron", &text, r#""XX""#, 0);
    out.stderr_has("nothing to scan");
}

#[test]
fn steps_that_wait_on_each_other_across_campaigns_are_refused() {
    // The grid campaign's first step waits for the chemical one's, which
    // waits for the grid's: neither would ever run.
    let text = mini_with(
        r#"(id: "phish", delay: Fixed("2h")"#,
        r#"(id: "phish", follows: Some((campaign: "poison", step: "release")), delay: Fixed("2h")"#,
    )
    .replacen(
        r#"(id: "release", delay: Fixed("1h")"#,
        r#"(id: "release", follows: Some((campaign: "grid", step: "phish")), delay: Fixed("1h")"#,
        1,
    );
    let out = validate("circle.ron", &text);
    out.refused();
    out.stderr_has("on itself: it would never run");
}

#[test]
fn art_222_scripted_for_a_state_outside_the_union_is_refused() {
    let text = mini_with(
        r#"(id: "LV", name: "Latvia", population: 1900000, nato: true,"#,
        r#"(id: "LV", name: "Latvia", population: 1900000, nato: true, eu: false,"#,
    )
    .replacen(
        "    msel: [",
        r#"    msel: [
        (number: 9, at: Time("1d"), from: "EXCON", to: "LV", method: Briefing, subject: "Decision",
         message: "m", expected_action: "a", effect: Some(Decide(InvokeSolidarity("LV")))),"#,
        1,
    );
    let out = validate("outside.ron", &text);
    out.refused();
    points_at(&out, "outside.ron", &text, r#""LV")))"#, 0);
    out.stderr_has("not an EU member state");
}

#[test]
fn a_leak_from_an_unknown_node_of_an_unknown_narrative_is_refused_where_it_is_written() {
    let text = mini_with(
        "lethality: 0.3)),",
        "lethality: 0.3)),\n            (id: \"dump\", delay: Fixed(\"1h\"), success: 1.0, action: Leak(from: \"EE-nowhere\", narrative: \"no-such-story\")),",
    );
    let out = validate("leak.ron", &text);
    out.refused();
    for value in [r#""EE-nowhere""#, r#""no-such-story""#] {
        points_at(&out, "leak.ron", &text, value, 0);
    }
}

#[test]
fn casualty_classes_that_do_not_add_up_are_refused_where_they_are_written() {
    // Severe and moderate shares of more than all the exposed, and a
    // negative number of worried well.
    let text = mini_with(
        "lethality: 0.3)),",
        "lethality: 0.3)),\n            (id: \"over\", delay: Fixed(\"1h\"), success: 1.0,\n             action: Release(country: \"EE\", agent: Chemical(\"x\"), exposed: 10, severe: 0.7, lethality: 0.1, moderate: 0.5, worried_well: -2.0)),",
    );
    let out = validate("classes.ron", &text);
    out.refused();
    for (value, at) in [
        ("moderate: 0.5", "moderate: "),
        ("worried_well: -2.0", "worried_well: "),
    ] {
        let (line, col) = line_col(&text, value, 0);
        out.stderr_has(&format!("classes.ron:{line}:{}", col + at.len()));
    }
    out.stderr_has("shares of the same exposed")
        .stderr_has("0 or more");
}

#[test]
fn a_value_check_points_at_the_action_it_is_about() {
    // A second release, its fields in another order, exposing nobody; and
    // the second amplification (the inject's) with a factor of zero.
    let text = mini_with(
        "lethality: 0.3)),",
        "lethality: 0.3)),\n            (id: \"again\", delay: Fixed(\"1h\"), success: 1.0,\n             action: Release(exposed: 0, country: \"EE\", agent: Chemical(\"chlorine\"), severe: 0.2, lethality: 0.1)),",
    )
    .replacen("factor: 1.5", "factor: 0.0", 1);
    let out = validate("values.ron", &text);
    for (value, at) in [("exposed: 0", "exposed: "), ("factor: 0.0", "factor: ")] {
        let (line, col) = line_col(&text, value, 0);
        out.stderr_has(&format!("values.ron:{line}:{}", col + at.len()));
    }
    out.stderr_has("at least one person")
        .stderr_has("amplification factor");
    assert!(
        !out.stderr.contains(&format!(
            "values.ron:{}:",
            line_col(&text, "exposed: 400", 0).0
        )),
        "the first release is fine\n{}",
        out.context()
    );
}

#[test]
fn a_campaign_with_more_steps_than_a_step_index_holds_is_refused_at_the_first_too_many() {
    let steps: String = (0..=65_536)
        .map(|i| {
            format!("\n(id:\"s{i}\",delay:Fixed(\"1h\"),success:1.0,action:Intrusion(target:\"EE-tel\")),")
        })
        .collect();
    let text = mini_with(
        "    campaigns: [\n",
        &format!(
            "    campaigns: [\n        (id: \"long\", name: \"Long\", actor: \"APT\", steps: [{steps}\n        ]),\n"
        ),
    );
    // Validate only: the file is 5 MB, and `run` reads it the same way.
    let dir = tempdir();
    std::fs::write(dir.path().join("long.ron"), &text).unwrap();
    let out = pacesim(dir.path(), ["validate", "long.ron"]);
    let (line, col) = line_col(&text, "(id:\"s65536\"", 0);
    out.refused()
        .stderr_has(&format!("long.ron:{line}:{col}"))
        .stderr_has("campaign `long` has 65537 steps; at most 65536");
}

#[test]
fn a_flood_of_problems_is_cut_short_with_a_count() {
    let deps: String = (0..150)
        .map(|i| {
            format!("\n            (supplier: \"EE-gird{i}\", dependent: \"EE-hosp\", delay: \"1h\", probability: 0.5),")
        })
        .collect();
    let text = mini_with(
        "        dependencies: [",
        &format!("        dependencies: [{deps}"),
    );
    let out = validate("flood.ron", &text);
    out.stderr_has("and 50 more problems not shown");
    assert_eq!(out.stderr.matches("unknown supplier").count(), 100);
    // The first hundred, in file order.
    points_at(&out, "flood.ron", &text, "\"EE-gird99\"", 0);
}
