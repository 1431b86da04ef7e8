//! The shape of the web layer, checked on every test run so it stays the
//! way `docs/architecture.md` draws it: no module of `web` imports one that
//! imports it back, no file grows past what a reader takes in, and no
//! handler writes to the store (writes go through `dateline_newsdesk`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Longest source file allowed in `web`, tests included.
const MAX_LINES: usize = 600;

fn crate_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(name)
}

/// Every `.rs` file under `dir`, with its module path (`site::comments`,
/// `""` for the crate root).
fn modules(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = relative
                    .iter()
                    .map(|p| p.to_string_lossy().into_owned())
                    .collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                out.insert(parts.join("::"), std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The source without its `#[cfg(test)]` module (tests may reach anywhere).
fn without_tests(source: &str) -> &str {
    source
        .find("#[cfg(test)]")
        .map_or(source, |at| &source[..at])
}

/// The module a `crate::…` / `super::…` / `self::…` path names: the longest
/// prefix of it that is a module.
fn resolve(current: &str, path: &str, names: &BTreeSet<String>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = if current.is_empty() {
        Vec::new()
    } else {
        current.split("::").collect()
    };
    match segments.first().copied() {
        Some("crate") => base.clear(),
        Some("super") => {
            base.pop();
            while segments.get(1) == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
        }
        Some("self") => {}
        _ => return None,
    }
    segments.remove(0);
    (0..=segments.len()).rev().find_map(|n| {
        let candidate: Vec<&str> = base.iter().chain(&segments[..n]).copied().collect();
        let candidate = candidate.join("::");
        names.contains(&candidate).then_some(candidate)
    })
}

/// Paths like `crate::a::b` in a source, with `use crate::a::{b, c::d}`
/// expanded one level.
fn paths_in(source: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = source.as_bytes();
    let is_ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(at) = source[from..].find(start) {
            let at = from + at;
            from = at + start.len();
            if at > 0 && (is_ident(bytes[at - 1]) || bytes[at - 1] == b':') {
                continue;
            }
            let mut end = at;
            while end < bytes.len() && (is_ident(bytes[end]) || bytes[end] == b':') {
                end += 1;
            }
            let path = source[at..end].trim_end_matches(':').to_owned();
            if bytes.get(end) == Some(&b'{') {
                let close = source[end..].find('}').map_or(bytes.len(), |c| end + c);
                for item in source[end + 1..close].split(',') {
                    let item = item.trim().split("::").next().unwrap_or("").trim();
                    let item = item.split_whitespace().next().unwrap_or("");
                    if !item.is_empty() && item != "self" {
                        found.push(format!("{path}::{item}"));
                    }
                }
            }
            found.push(path);
        }
    }
    found
}

fn import_graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules(dir);
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(name, source)| {
            let targets = paths_in(without_tests(source))
                .iter()
                .filter_map(|path| resolve(name, path, &names))
                // The crate root only wires the modules together and holds
                // the state they share; a module inside another is part of it.
                .filter(|t| !t.is_empty() && t != name && !name.starts_with(&format!("{t}::")))
                .collect();
            (name.clone(), targets)
        })
        .collect()
}

/// Modules that reach each other through imports (Tarjan's algorithm):
/// each group of more than one is a circle.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'g> {
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        found: Vec<Vec<String>>,
    }
    impl<'g> Walk<'g> {
        fn visit(&mut self, v: &'g str) {
            let n = self.index.len();
            self.index.insert(v, n);
            self.low.insert(v, n);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in &self.graph[v] {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.to_owned());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found
}

#[test]
fn no_module_of_web_imports_one_that_imports_it_back() {
    let graph = import_graph(&crate_dir("web").join("src"));
    assert!(graph.len() > 40, "the module walk found too little");
    assert!(
        graph["site::comments"].contains("render::comments"),
        "the import reader misses imports"
    );
    assert_eq!(circles(&graph), Vec::<Vec<String>>::new());
}

/// The floor of a module of `web`: handlers over the edge over rendering
/// over the shared HTTP vocabulary (`docs/architecture.md`).
fn floor(module: &str) -> usize {
    match module.split("::").next().unwrap_or("") {
        "http" | "network" | "error" => 0,
        "render" => 1,
        "edge" => 2,
        "site" | "newsroom" | "api" => 3,
        other => panic!("module {other} has no floor: place it in one"),
    }
}

#[test]
fn each_floor_of_web_imports_only_from_floors_below_or_its_own() {
    let graph = import_graph(&crate_dir("web").join("src"));
    let mut upwards = Vec::new();
    for (module, targets) in graph.iter().filter(|(m, _)| !m.is_empty()) {
        for target in targets {
            if floor(target) > floor(module) {
                upwards.push(format!("{module} -> {target}"));
            }
        }
    }
    assert_eq!(upwards, Vec::<String>::new());
}

#[test]
fn the_circle_finder_finds_a_circle() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
    .collect();
    assert_eq!(circles(&graph), vec![vec!["a", "b", "c"]]);
}

#[test]
fn no_file_of_web_is_longer_than_a_reader_takes_in() {
    let long: Vec<(String, usize)> = modules(&crate_dir("web").join("src"))
        .into_iter()
        .map(|(name, source)| (name, source.lines().count()))
        .filter(|(_, lines)| *lines > MAX_LINES)
        .collect();
    assert_eq!(long, Vec::new(), "split these by what they do");
}

/// The store's functions that write: those that open a transaction, or
/// run an INSERT, UPDATE or DELETE on the write pool (`on_write!`; some
/// reads use the write pool to see their own writes).
fn store_writes() -> BTreeSet<String> {
    let mut writes = BTreeSet::new();
    for source in modules(&crate_dir("store").join("src")).values() {
        let source = without_tests(source);
        let mut functions = source.split("    pub async fn ").skip(1);
        for function in functions.by_ref() {
            let name: String = function
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let body = function.split("\n    }\n").next().unwrap_or("");
            let changes = ["INSERT", "UPDATE", "DELETE"]
                .iter()
                .any(|verb| body.contains(verb));
            if body.contains("self.begin()") || (body.contains("on_write!(self") && changes) {
                writes.insert(name);
            }
        }
    }
    writes
}

#[test]
fn web_never_calls_a_store_function_that_writes() {
    let writes = store_writes();
    for known in [
        "save_article",
        "store_comments",
        "create_session",
        "save_term",
    ] {
        assert!(writes.contains(known), "{known} not seen as a write");
    }
    assert!(!writes.contains("published_article"));
    let mut found = Vec::new();
    for (module, source) in modules(&crate_dir("web").join("src")) {
        let compact: String = source.split_whitespace().collect();
        for write in &writes {
            for receiver in ["db.", "db()."] {
                if compact.contains(&format!("{receiver}{write}(")) {
                    found.push(format!("{module}: {write}"));
                }
            }
        }
    }
    assert_eq!(
        found,
        Vec::<String>::new(),
        "call the newsdesk use case instead"
    );
}

#[test]
fn the_application_layer_knows_no_http_server_and_no_sql() {
    let manifest = std::fs::read_to_string(crate_dir("newsdesk").join("Cargo.toml")).unwrap();
    let dependencies = manifest
        .split("[dependencies]")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .unwrap();
    for forbidden in ["axum", "tower", "sqlx", "dateline_web", "hyper"] {
        assert!(
            !dependencies.lines().any(|l| l.starts_with(forbidden)),
            "newsdesk depends on {forbidden}"
        );
    }
    for source in modules(&crate_dir("newsdesk").join("src")).values() {
        assert!(!source.contains("sqlx::"), "SQL belongs to the store");
        assert!(!source.contains("axum::"), "HTTP belongs to web");
    }
}
