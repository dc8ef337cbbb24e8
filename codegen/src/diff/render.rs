//! Renderers of a [`ChangeReport`]: Markdown for people, JSON for tools.
//! Both are plain text and deterministic (the report is sorted); each
//! change line starts with its class in brackets (`[breaking]`,
//! `[compatible]`, `[doc-only]`), which is what a terminal colours.

use super::{Change, ChangeKind, ChangeReport, Class, Item, Tally};

/// The report as pretty JSON with a final newline.
pub fn json(report: &ChangeReport) -> String {
    let mut text = serde_json::to_string_pretty(report).expect("a change report always serialises");
    text.push('\n');
    text
}

/// The report as Markdown: a table of counts, then the changes grouped by
/// scope (resource kind, schemas, endpoints) and group, one bullet per
/// owner. Changes of one owner that differ only by member are folded into
/// one line (e.g. "properties added (3): ...").
pub fn markdown(report: &ChangeReport) -> String {
    let mut out = String::new();
    out.push_str(&format!("# API changes: {} {} -> {}\n\n", report.product.as_str(), release(&report.old_release, report.old_derived), release(&report.new_release, report.new_derived)));
    tallies(report, &mut out);
    let summary = report.summary;
    out.push_str(&format!(
        "Changes: {} breaking, {} compatible, {} documentation only.\n",
        summary.breaking, summary.compatible, summary.documentation_only
    ));
    if report.old_derived || report.new_derived {
        out.push_str("\nA derived snapshot is involved: an item it lacks is not confirmed, which is not a removal.\n");
    }

    let mut rest = report.changes.as_slice();
    while let Some(first) = rest.first() {
        let count = rest.iter().take_while(|c| c.scope == first.scope).count();
        let (scope, tail) = rest.split_at(count);
        rest = tail;
        out.push_str(&format!("\n## {} ({})\n", scope_title(&first.scope), counted(scope)));
        let mut groups = scope;
        while let Some(first) = groups.first() {
            let count = groups.iter().take_while(|c| c.group == first.group).count();
            let (group, tail) = groups.split_at(count);
            groups = tail;
            if !first.group.is_empty() {
                out.push_str(&format!("\n### {} ({})\n", first.group, counted(group)));
            }
            out.push('\n');
            owners(group, &mut out);
        }
    }
    out
}

fn release(name: &str, derived: bool) -> String {
    if derived {
        format!("{name} (derived)")
    } else {
        name.to_string()
    }
}

fn tallies(report: &ChangeReport, out: &mut String) {
    let mut rows: Vec<(String, Tally)> = Vec::new();
    // An OpenAPI-only comparison has no resources: leave those rows out.
    let openapi_only = report.resources.is_empty() && !(report.schemas.is_empty() && report.endpoints.is_empty());
    if !openapi_only {
        rows.push(("resources".into(), report.resources));
        for (kind, tally) in &report.resources_by_kind {
            rows.push((format!("- {kind}"), *tally));
        }
        rows.push(("properties".into(), report.properties));
    }
    for (name, tally) in [("schemas", report.schemas), ("fields", report.fields), ("endpoints", report.endpoints)] {
        if !tally.is_empty() {
            rows.push((name.into(), tally));
        }
    }
    out.push_str("| items | old | new | kept | added | removed |\n|---|--:|--:|--:|--:|--:|\n");
    for (name, t) in rows {
        out.push_str(&format!("| {name} | {} | {} | {} | {} | {} |\n", t.old, t.new, t.kept, t.added, t.removed));
    }
    out.push('\n');
}

fn scope_title(scope: &str) -> String {
    match scope {
        "api" => "API".into(),
        "schema" => "schemas".into(),
        "endpoint" => "endpoints".into(),
        kind => format!("{kind} resources"),
    }
}

fn counted(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.class == Class::Breaking).count();
    let noun = if changes.len() == 1 { "change" } else { "changes" };
    format!("{} {noun}, {breaking} breaking", changes.len())
}

/// One bullet per owner; an owner with a single line stays on one line.
fn owners(changes: &[Change], out: &mut String) {
    let mut rest = changes;
    while let Some(first) = rest.first() {
        let count = rest.iter().take_while(|c| c.owner == first.owner).count();
        let (owned, tail) = rest.split_at(count);
        rest = tail;
        let lines: Vec<String> = fold(owned).iter().map(|same| line(same)).collect();
        let owner = if first.owner.is_empty() { String::new() } else { format!("`{}`", first.owner) };
        match (owner.is_empty(), lines.as_slice()) {
            (true, _) => lines.iter().for_each(|l| out.push_str(&format!("- {l}\n"))),
            (false, [only]) => out.push_str(&format!("- {owner}: {only}\n")),
            (false, _) => {
                out.push_str(&format!("- {owner}\n"));
                lines.iter().for_each(|l| out.push_str(&format!("  - {l}\n")));
            }
        }
    }
}

/// Groups an owner's changes that render alike except for the member, in
/// order of first appearance.
fn fold(changes: &[Change]) -> Vec<Vec<&Change>> {
    let mut folded: Vec<Vec<&Change>> = Vec::new();
    for change in changes {
        match folded.iter_mut().find(|same| alike(same[0], change)) {
            Some(same) => same.push(change),
            None => folded.push(vec![change]),
        }
    }
    folded
}

fn alike(a: &Change, b: &Change) -> bool {
    let foldable = matches!(a.item, Item::Property | Item::Operation | Item::Field | Item::Parameter | Item::EnumValue);
    let same_values = match a.change {
        ChangeKind::Changed => a.old == b.old && a.new == b.new,
        // Enum values fold per property; other added/removed items fold
        // across members.
        _ => a.item != Item::EnumValue || a.member == b.member,
    };
    foldable
        && a.class == b.class
        && a.item == b.item
        && a.change == b.change
        && a.aspect == b.aspect
        && a.note == b.note
        && same_values
}

/// One rendered line for changes that are alike.
fn line(same: &[&Change]) -> String {
    let first = same[0];
    let mut text = format!("[{}] ", first.class.as_str());
    let verb = match first.change {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    };
    let value = |c: &Change| c.new.clone().or_else(|| c.old.clone()).unwrap_or_default();
    match (first.item, first.change) {
        (Item::Api | Item::Resource | Item::Schema | Item::Endpoint, ChangeKind::Added | ChangeKind::Removed) => {
            text.push_str(&format!("{} {verb} ({})", first.item.as_str(), value(first)));
        }
        (Item::EnumValue, ChangeKind::Added | ChangeKind::Removed) => {
            let values: Vec<String> = same.iter().map(|c| format!("`{}`", value(c))).collect();
            let of = first.member.as_ref().map_or(String::new(), |m| format!(" of `{m}`"));
            let noun = if same.len() == 1 { "value" } else { "values" };
            text.push_str(&format!("{noun}{of} {verb}: {}", values.join(", ")));
        }
        (_, ChangeKind::Added | ChangeKind::Removed) => {
            let members: Vec<String> = same
                .iter()
                .map(|c| format!("`{}` ({})", c.member.as_deref().unwrap_or_default(), value(c)))
                .collect();
            let noun = plural(first.item, same.len());
            text.push_str(&format!("{noun} {verb}: {}", members.join(", ")));
        }
        (_, ChangeKind::Changed) => {
            let aspect = first.aspect.map_or("", |a| a.as_str());
            let subject = match (first.item, first.member.as_deref()) {
                (Item::EnumValue, Some(member)) => format!("value of `{member}` {aspect}"),
                (_, Some(_)) => {
                    let members: Vec<String> = same.iter().map(|c| format!("`{}`", c.member.as_deref().unwrap_or_default())).collect();
                    format!("{} {} {aspect}", plural(first.item, same.len()), members.join(", "))
                }
                (_, None) => aspect.to_string(),
            };
            let show = |v: &Option<String>| v.as_deref().map_or("none".to_string(), |v| format!("`{v}`"));
            text.push_str(&format!("{subject}: {} -> {}", show(&first.old), show(&first.new)));
        }
    }
    if let Some(note) = &first.note {
        text.push_str(&format!(" ({note})"));
    }
    text
}

fn plural(item: Item, count: usize) -> String {
    let noun = item.as_str();
    match count {
        1 => noun.to_string(),
        n if noun.ends_with('y') => format!("{}ies ({n})", &noun[..noun.len() - 1]),
        n => format!("{noun}s ({n})"),
    }
}
