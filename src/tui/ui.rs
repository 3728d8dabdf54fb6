//! Drawing the dashboard: one frame from the [`App`] state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, List, ListItem, Paragraph, Sparkline, Wrap};

use super::app::{App, Mode};
use crate::engine::{SimTime, count_u16};
use crate::log::Record;
use crate::metrics::Rating;
use crate::response::eu::{EuState, decision, mechanisms};
use crate::scenario::{InjectTime, Sector};

const KEYS: &str = "space pause  +/- speed  s step  j jump  i inject  a ad-hoc  1/2 decide  e note  d/c filter  m mechanisms  ? help  q quit";
/// The same keys for narrow terminals (the help screen lists them all).
const KEYS_SHORT: &str =
    "SPC pause +/- speed s step j jump i/a inject 1/2 decide e note m EU ?help q quit";

/// Draws the frame, without colour when the controller asked for none
/// (`NO_COLOR`): highlighted cells are shown reversed instead.
pub fn draw(f: &mut Frame, app: &App) {
    draw_panels(f, app);
    if app.monochrome {
        for cell in &mut f.buffer_mut().content {
            if cell.bg != Color::Reset {
                cell.modifier |= Modifier::REVERSED;
            }
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
        }
    }
}

fn draw_panels(f: &mut Frame, app: &App) {
    let area = f.area();
    let [top, main, footer] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, app, top);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(53), Constraint::Percentage(47)]).areas(main);
    let [log, msel] =
        Layout::vertical([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(left);
    event_log(f, app, log);
    msel_panel(f, app, msel);
    // Panels as tall as their content; the mechanisms panel takes what is left.
    let cat = app.session.cat();
    let countries = count_u16(cat.countries.len());
    // The objectives, and a line of the run's headline figures so far.
    let objectives_h = count_u16(cat.objectives.len()).clamp(1, 100) + 3;
    // Short terminals get one-line-per-few-countries summaries instead of tables.
    let compact = right.height < 2 * countries + 16;
    let per_row = (right.width.saturating_sub(2) / 11).max(1);
    let (infra_h, opinion_h) = if compact {
        let rows = countries.div_ceil(per_row);
        (rows + 2, rows + 2)
    } else if right.width >= 54 {
        (countries + 3, countries.div_ceil(2) + 2)
    } else {
        (countries + 3, countries + 2)
    };
    let [infra, opinion, mech, objectives] = Layout::vertical([
        Constraint::Length(infra_h),
        Constraint::Length(opinion_h),
        Constraint::Min(5),
        Constraint::Length(objectives_h.min(if compact { 5 } else { 10 })),
    ])
    .areas(right);
    if compact {
        compact_panels(f, app, infra, opinion);
    } else {
        infra_panel(f, app, infra);
        opinion_panel(f, app, opinion);
    }
    mechanisms(f, app, mech);
    objectives_panel(f, app, objectives, !compact);
    let keys = if footer.width as usize >= KEYS.chars().count() {
        KEYS
    } else {
        KEYS_SHORT
    };
    f.render_widget(
        Paragraph::new(Line::from(keys).style(Style::new().fg(Color::Black).bg(Color::Gray))),
        footer,
    );
    if let Some(d) = app.waiting() {
        decision_popup(f, app, d, area);
    }
    match &app.mode {
        Mode::Help => help_popup(f, area),
        Mode::ConfirmQuit => small_popup(
            f,
            area,
            "Quit",
            vec![
                Line::from("End the session? The journal keeps everything."),
                Line::from("y or Enter: quit and print the log hash    any other key: stay"),
            ],
        ),
        Mode::Note(text) => small_popup(
            f,
            area,
            "Controller note (Enter saves, Esc cancels)",
            vec![Line::from(format!("{text}_"))],
        ),
        Mode::FireInject(sel) => picker(
            f,
            area,
            "Fire an MSEL inject now (↑↓ Enter, Esc)",
            app.unfired()
                .iter()
                .map(|i| {
                    let inj = &app.session.cat().injects[i.i()].inject;
                    format!(
                        "#{} {} -> {}: {}",
                        inj.number, inj.from, inj.to, inj.subject
                    )
                })
                .collect(),
            *sel,
        ),
        Mode::AdHoc(sel) => picker(
            f,
            area,
            "Ad-hoc inject: play a campaign step now (↑↓ Enter, Esc)",
            app.steps()
                .iter()
                .map(|(c, s)| format!("{c} / {s}"))
                .collect(),
            *sel,
        ),
        Mode::Mechanisms => {
            let r = centered(area, area.width.saturating_sub(4).min(100), 16);
            f.render_widget(Clear, r);
            mechanisms(f, app, r);
        }
        Mode::Normal => {}
    }
}

fn block(title: &str) -> Block<'_> {
    Block::bordered().title(Span::styled(
        format!(" {title} "),
        Style::new().add_modifier(Modifier::BOLD),
    ))
}

fn header(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let now = app.session.now();
    let wall = cat.start + chrono::Duration::seconds(now.0 as i64);
    let (state, colour) = if app.waiting().is_some() {
        ("WAITING FOR DECISION".to_string(), Color::Yellow)
    } else if app.session.ended() {
        ("ENDED".to_string(), Color::Blue)
    } else if app.running {
        (format!("RUNNING {}", app.speed_label()), Color::Green)
    } else {
        ("PAUSED".to_string(), Color::Red)
    };
    let playbook = if mechanisms::national_only(&cat.response) {
        "national responders only".to_string()
    } else {
        cat.response.names.join(" + ")
    };
    let line1 = Line::from(vec![
        Span::styled(
            format!(" {state} "),
            Style::new().fg(Color::Black).bg(colour).bold(),
        ),
        Span::raw("  "),
        Span::styled(
            wall.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            Style::new().bold(),
        ),
        Span::raw(format!("  {now} / {}", SimTime(cat.duration.0))),
    ]);
    // The second line carries what the last action did, so it is never cut off.
    let line2 = Line::from(vec![
        Span::styled(
            format!(
                "seed {} · frame {:.1} ms",
                app.session.sim.model.seed(),
                app.frame.as_secs_f64() * 1000.0
            ),
            Style::new().fg(Color::DarkGray),
        ),
        Span::styled(
            if app.status.is_empty() {
                String::new()
            } else {
                format!(" · {}", app.status)
            },
            Style::new().fg(Color::Cyan),
        ),
    ]);
    let title = format!("pacesim · {} · {playbook}", cat.name);
    f.render_widget(
        Paragraph::new(vec![line1, line2]).block(block(&title)),
        area,
    );
}

fn domain_colour(d: &str) -> Color {
    match d {
        "cyber" => Color::Magenta,
        "cbrn" => Color::Red,
        "disinfo" => Color::Yellow,
        "infra" => Color::Cyan,
        "response" => Color::Green,
        _ => Color::Gray,
    }
}

fn event_log(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let model = &app.session.sim.model;
    let rows = area.height.saturating_sub(2) as usize;
    let country = app.country_filter.map(|c| cat.countries[c.i()].id.clone());
    let mut shown = Vec::new();
    let mut skipped = 0;
    for e in model.log().iter().rev() {
        if !app.verbose && !e.what.is_key() {
            continue;
        }
        let dom = e.what.domain(cat);
        if app.domain_filter.is_some_and(|d| d != dom) {
            continue;
        }
        let d = e.what.describe(&model.context());
        if let Some(c) = &country
            && d.country != Some(&**c)
        {
            continue;
        }
        if skipped < app.scroll {
            skipped += 1;
            continue;
        }
        shown.push(ListItem::new(Line::from(vec![
            Span::styled(format!("{:<14}", e.t.to_string()), Style::new().dim()),
            Span::styled(
                format!("{:<9}", dom.name()),
                Style::new().fg(domain_colour(dom.name())),
            ),
            Span::raw(d.text),
        ])));
        if shown.len() >= rows {
            break;
        }
    }
    shown.reverse();
    let filter = format!(
        "Event log{}{}{}{}",
        app.domain_filter
            .map_or(String::new(), |d| format!(" [{}]", d.name())),
        country.map_or(String::new(), |c| format!(" [{c}]")),
        if app.verbose { " [all]" } else { "" },
        if app.scroll > 0 {
            format!(" [scrolled back {}]", app.scroll)
        } else {
            String::new()
        }
    );
    f.render_widget(List::new(shown).block(block(&filter)), area);
}

fn msel_panel(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let model = &app.session.sim.model;
    let rows = area.height.saturating_sub(2) as usize;
    let mut items: Vec<(bool, ListItem)> = cat
        .injects
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let fired = model.inject_fired(crate::scenario::catalog::InjectIx::at(k));
            let when = match &i.inject.at {
                InjectTime::Time(d) => SimTime(d.0).to_string(),
                InjectTime::When(_) => "on condition".into(),
            };
            let style = if fired {
                Style::new().dim()
            } else {
                Style::new()
            };
            let mark = if fired { "✓" } else { "·" };
            (
                fired,
                ListItem::new(Line::from(format!(
                    "{mark} #{:<3} {:<14} {} -> {}: {}",
                    i.inject.number, when, i.inject.from, i.inject.to, i.inject.subject
                )))
                .style(style),
            )
        })
        .collect();
    // Show the last two fired injects, then what is still to come.
    let first_unfired = items.iter().position(|(f, _)| !f).unwrap_or(items.len());
    let start = first_unfired.saturating_sub(2);
    let fired = items.iter().filter(|(f, _)| *f).count();
    let total = items.len();
    let shown: Vec<ListItem> = items.drain(start..).map(|x| x.1).take(rows).collect();
    f.render_widget(
        List::new(shown).block(block(&format!("MSEL ({fired}/{total} fired)"))),
        area,
    );
}

/// Per country: the worst sector's service, and trust with the highest reach.
fn compact_panels(f: &mut Frame, app: &App, infra: Rect, opinion: Rect) {
    let cat = app.session.cat();
    let model = &app.session.sim.model;
    let world = model.world();
    let ix = model.index();
    let per_row = (infra.width.saturating_sub(2) / 11).max(1) as usize;
    let mut service = Vec::new();
    let mut trust = Vec::new();
    for (c, country) in cat.countries.iter().enumerate() {
        let worst = cat.country_nodes[c]
            .iter()
            .filter_map(|n| world.get::<crate::world::InfraState>(ix.nodes[n.i()]))
            .map(|st| st.service)
            .fold(1.0, f64::min);
        let colour = if worst >= 0.99 {
            Color::Green
        } else if worst >= 0.5 {
            Color::Yellow
        } else {
            Color::Red
        };
        service.push(vec![
            Span::styled(format!("{:<3}", country.id), Style::new().bold()),
            Span::styled(
                format!("{:>4.0}%   ", worst * 100.0),
                Style::new().fg(colour),
            ),
        ]);
        let t = world
            .get::<crate::world::Nation>(ix.nations[c])
            .map_or(0.0, |n| n.trust);
        let colour = if country.trust - t > 0.05 {
            Color::Red
        } else {
            Color::Green
        };
        trust.push(vec![
            Span::styled(format!("{:<3}", country.id), Style::new().bold()),
            Span::styled(format!("{:>4.0}%   ", t * 100.0), Style::new().fg(colour)),
        ]);
    }
    let rows = |cells: Vec<Vec<Span<'static>>>| -> Vec<Line<'static>> {
        cells
            .chunks(per_row)
            .map(|chunk| Line::from(chunk.concat()))
            .collect()
    };
    f.render_widget(
        Paragraph::new(rows(service)).block(block("Worst service by country")),
        infra,
    );
    f.render_widget(
        Paragraph::new(rows(trust)).block(block("Trust in institutions")),
        opinion,
    );
}

fn infra_panel(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let inner = block("Infrastructure service by country and sector").inner(area);
    f.render_widget(block("Infrastructure service by country and sector"), area);
    let sectors: Vec<Sector> = Sector::ALL
        .into_iter()
        .filter(|s| cat.nodes.iter().any(|n| n.sector == *s))
        .collect();
    let mut lines = vec![Line::from(
        std::iter::once(Span::raw("    "))
            .chain(sectors.iter().map(|s| {
                Span::styled(
                    format!("{:>5}", &s.name()[..4.min(s.name().len())]),
                    Style::new().dim(),
                )
            }))
            .chain(std::iter::once(Span::styled("  trend", Style::new().dim())))
            .collect::<Vec<_>>(),
    )];
    let world = app.session.sim.model.world();
    let ix = app.session.sim.model.index();
    let rows = inner.height.saturating_sub(1) as usize;
    for (c, country) in cat.countries.iter().enumerate().take(rows) {
        let mut spans = vec![Span::raw(format!("{:<4}", country.id))];
        for s in &sectors {
            let nodes: Vec<f64> = cat.country_nodes[c]
                .iter()
                .filter(|n| cat.nodes[n.i()].sector == *s)
                .filter_map(|n| world.get::<crate::world::InfraState>(ix.nodes[n.i()]))
                .map(|st| st.service)
                .collect();
            if nodes.is_empty() {
                spans.push(Span::styled("    -", Style::new().dim()));
            } else {
                let v = 100.0 * nodes.iter().sum::<f64>() / nodes.len() as f64;
                let colour = if v >= 99.0 {
                    Color::Green
                } else if v >= 50.0 {
                    Color::Yellow
                } else {
                    Color::Red
                };
                spans.push(Span::styled(format!("{v:>5.0}"), Style::new().fg(colour)));
            }
        }
        lines.push(Line::from(spans));
    }
    let table_width = 4 + 5 * count_u16(sectors.len()) + 2;
    let [table, trend] = Layout::horizontal([
        Constraint::Length(table_width.min(inner.width)),
        Constraint::Min(0),
    ])
    .areas(inner);
    f.render_widget(Paragraph::new(lines), table);
    // One sparkline row per country: mean service over the last hours.
    for (c, h) in app.history.iter().enumerate().take(rows) {
        let y = trend.y.saturating_add(1).saturating_add(count_u16(c));
        if y >= trend.y + trend.height || trend.width == 0 {
            break;
        }
        let width = trend.width as usize;
        let data: Vec<u64> = h[h.len().saturating_sub(width)..]
            .iter()
            .map(|v| v.saturating_sub(40))
            .collect();
        f.render_widget(
            Sparkline::default()
                .data(&data)
                .max(60)
                .style(Style::new().fg(Color::Cyan)),
            Rect::new(trend.x, y, trend.width, 1),
        );
    }
}

fn opinion_panel(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let model = &app.session.sim.model;
    let cells: Vec<Vec<Span>> = cat
        .countries
        .iter()
        .enumerate()
        .map(|(c, country)| {
            let ci = crate::scenario::catalog::CountryIx::at(c);
            let trust = model
                .world()
                .get::<crate::world::Nation>(model.index().nations[c])
                .map_or(0.0, |n| n.trust);
            let reach = (0..cat.narratives.len())
                .filter_map(|ni| {
                    let k = cat.narratives[ni].countries.binary_search(&ci).ok()?;
                    model
                        .world()
                        .get::<crate::world::NarrativeState>(model.index().narratives[ni])
                        .map(|st| st.countries[k].reach)
                })
                .fold(0.0, f64::max);
            let drop = country.trust - trust;
            let trust_colour = if drop > 0.05 {
                Color::Red
            } else if drop > 0.02 {
                Color::Yellow
            } else {
                Color::Green
            };
            let reach_colour = if reach > 0.25 {
                Color::Red
            } else if reach > 0.10 {
                Color::Yellow
            } else {
                Color::Gray
            };
            vec![
                Span::styled(format!("{:<3}", country.id), Style::new().bold()),
                Span::raw("trust "),
                Span::styled(
                    format!("{:>3.0}%", trust * 100.0),
                    Style::new().fg(trust_colour),
                ),
                Span::styled(
                    if drop > 0.005 { "▼" } else { " " },
                    Style::new().fg(trust_colour),
                ),
                Span::raw(" reach "),
                Span::styled(
                    format!("{:>3.0}%", reach * 100.0),
                    Style::new().fg(reach_colour),
                ),
            ]
        })
        .collect();
    // Two countries a line when the panel is wide enough.
    let per_line = if area.width >= 54 { 2 } else { 1 };
    let lines: Vec<Line> = cells
        .chunks(per_line)
        .map(|pair| {
            let mut spans = Vec::new();
            for (k, cell) in pair.iter().enumerate() {
                if k > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.extend(cell.iter().cloned());
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(block("Public trust and narrative reach")),
        area,
    );
}

fn mechanisms(f: &mut Frame, app: &App, area: Rect) {
    let cat = app.session.cat();
    let world = app.session.sim.model.world();
    let Some(st) = world.get_resource::<EuState>() else {
        let lines = vec![
            Line::from("No EU or NATO mechanism in this playbook: national responders only."),
            Line::from("IPCR, ERCC/UCPM, the Fusion Cell, RAS and NATO take no part."),
        ];
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(block("EU and NATO mechanisms")),
            area,
        );
        return;
    };
    let label = |s: &str| Span::styled(format!("{s:<12}"), Style::new().bold());
    let mut lines: Vec<Line> = mechanisms::present(&cat.response)
        .filter_map(|m| {
            let line = m.dashboard?;
            Some(Line::from(vec![label(m.short), Span::raw(line(st, cat))]))
        })
        .collect();
    lines.push(Line::from(vec![
        label("Decisions"),
        Span::raw(decision::dashboard(st, cat)),
    ]));
    f.render_widget(
        Paragraph::new(lines).block(block("EU and NATO mechanisms")),
        area,
    );
}

/// The headline metrics of the run so far, as many as fit in `width`.
fn outcome(s: &crate::metrics::Summary, width: usize) -> Line<'static> {
    let mut text = String::new();
    for m in crate::metrics::headline() {
        let Some(v) = (m.value)(s, 0) else {
            continue;
        };
        let item = format!("{} {}", m.short, m.unit.show_short(v));
        let sep = if text.is_empty() { "" } else { " · " };
        if text.chars().count() + sep.len() + item.chars().count() > width {
            break;
        }
        text.push_str(sep);
        text.push_str(&item);
    }
    Line::from(Span::styled(text, Style::new().fg(Color::Cyan)))
}

fn objectives_panel(f: &mut Frame, app: &App, area: Rect, with_outcome: bool) {
    let mut lines = Vec::new();
    if let (Some(s), true) = (&app.summary, with_outcome) {
        lines.push(outcome(s, area.width.saturating_sub(2) as usize));
    }
    if let Some(s) = &app.summary {
        for o in &s.objectives {
            let colour = match o.rating {
                Rating::P => Color::Green,
                Rating::S => Color::Yellow,
                Rating::M => Color::LightRed,
                Rating::U => Color::Red,
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!(" {} ", o.rating_letter()),
                    Style::new().fg(Color::Black).bg(colour).bold(),
                ),
                Span::raw(format!(" {} {}: {}", o.id, o.title, o.finding)),
            ]));
        }
    }
    if app.session.cat().objectives.is_empty() {
        lines.push(Line::from("no objectives in this scenario"));
    }
    f.render_widget(
        Paragraph::new(lines).block(block("Objectives (live P/S/M/U)")),
        area,
    );
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn small_popup(f: &mut Frame, area: Rect, title: &str, lines: Vec<Line>) {
    let r = centered(area, 70, count_u16(lines.len()).saturating_add(2));
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block(title).style(Style::new().bg(Color::Black))),
        r,
    );
}

fn picker(f: &mut Frame, area: Rect, title: &str, items: Vec<String>, sel: usize) {
    let r = centered(area, 90, 16);
    let rows = r.height.saturating_sub(2) as usize;
    let start = sel.saturating_sub(rows.saturating_sub(1));
    let list: Vec<ListItem> = items
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .map(|(k, s)| {
            let style = if k == sel {
                Style::new().fg(Color::Black).bg(Color::Cyan)
            } else {
                Style::new()
            };
            ListItem::new(s.clone()).style(style)
        })
        .collect();
    f.render_widget(Clear, r);
    f.render_widget(List::new(list).block(block(title)), r);
}

fn decision_popup(f: &mut Frame, app: &App, id: u32, area: Rect) {
    let world = app.session.sim.model.world();
    let Some(st) = world.get_resource::<EuState>() else {
        return;
    };
    let Some(d) = st.decisions.get(id as usize) else {
        return;
    };
    let cat = app.session.cat();
    let question = d.kind.question();
    let who = d.country.map_or(String::new(), |c| {
        format!(" ({})", cat.countries[c.i()].name)
    });
    let options = d.kind.options();
    let default = match d.kind.policy(&cat.response) {
        Some(crate::playbook::Policy::Approve) => options[0].to_string(),
        Some(crate::playbook::Policy::ApproveIf(_)) => {
            format!("{} if its condition holds, else {}", options[0], options[1])
        }
        _ => options[1].to_string(),
    };
    let countdown = match (app.decision_timeout, app.decision_since) {
        (Some(limit), Some((_, since))) => {
            let left = limit.saturating_sub(since.elapsed());
            format!(
                "time-out in {}s applies the playbook's default: {default}",
                left.as_secs()
            )
        }
        _ => format!("no time-out; the playbook's default would be: {default}"),
    };
    let lines = vec![
        Line::from(Span::styled(
            format!("{question}{who}"),
            Style::new().bold(),
        )),
        Line::from(format!("{}, raised {}", d.kind.mechanism().name, d.raised)),
        Line::from(""),
        Line::from(format!("[1] {}", options[0])),
        Line::from(format!("[2] {}", options[1])),
        Line::from(""),
        Line::from(Span::styled(countdown, Style::new().dim())),
    ];
    let r = centered(area, 72, count_u16(lines.len()).saturating_add(2));
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(
            block("Decision point: the exercise waits for the players")
                .style(Style::new().fg(Color::Yellow)),
        ),
        r,
    );
}

fn help_popup(f: &mut Frame, area: Rect) {
    let keys = [
        ("space / p", "pause or resume the simulated clock"),
        (
            "+ / -",
            "faster or slower: real time, x10, x60, x600, x3600, x21600, max",
        ),
        ("s", "step: fire the next engine event"),
        (
            "j",
            "jump to the next timed inject (stops at a decision point)",
        ),
        ("i", "fire an MSEL inject now (pick with ↑↓, Enter)"),
        ("a", "ad-hoc inject: play a campaign step now"),
        ("1 / 2", "answer the decision point on screen"),
        ("e", "add a controller note to the log"),
        ("d / c", "filter the log by domain / by country (cycle)"),
        ("v", "show every event, hourly samples included"),
        (
            "m",
            "every EU and NATO mechanism, full size (any key closes)",
        ),
        (
            "↑ ↓ PgUp PgDn End",
            "scroll the log; End follows the newest",
        ),
        ("? / h", "this help"),
        (
            "q / Esc / Ctrl-C",
            "quit (asks first); the journal keeps everything",
        ),
    ];
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!("{k:<20}"), Style::new().bold()),
                Span::raw(*what),
            ])
        })
        .collect();
    let r = centered(area, 92, count_u16(lines.len()).saturating_add(2));
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(block("Keys (any key closes)")),
        r,
    );
}
