//! The streaming XML under both readers: quick-xml's `NsReader` over our
//! own buffer, which counts lines and bytes as they go by, can look ahead
//! and can skip bytes unread (to resume); events reduced to what the
//! readers need; and one entry at a time gathered into a small tree.
//!
//! Memory holds one entry (an item with its comments, a Disqus post)
//! and a 64 KiB buffer, whatever the size of the file.

use super::ImportError;
use crate::tidy::decode_entities;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use std::borrow::Cow;
use std::io::{self, BufRead, Read};

const BUFFER: usize = 64 * 1024;

/// How deep below an entry elements are kept: an item, its comment, the
/// comment's meta, the meta's key. Deeper elements are read past (a file
/// nesting thousands of levels costs no memory or stack).
const KEPT_DEPTH: usize = 4;

/// The input with a position: bytes consumed, and the newlines among
/// them, to name lines in errors. Positions are offsets in the file as
/// given (a byte order mark counts).
pub(crate) struct Source<R> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Offset of `buf[start]`: everything before it is consumed.
    pos: u64,
    eof: bool,
    /// Where the event being read began.
    mark: u64,
    /// Newlines before `mark`, and the offset of the last of them.
    lines_at_mark: u64,
    last_newline_at_mark: Option<u64>,
    /// Offsets of the newlines consumed since `mark`.
    newlines: Vec<u64>,
}

impl<R: Read> Source<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            pos: 0,
            eof: false,
            mark: 0,
            lines_at_mark: 0,
            last_newline_at_mark: None,
            newlines: Vec::new(),
        }
    }

    /// Reads more after what is buffered; false at the end of the input.
    fn read_more(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            return Ok(true);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The next `n` bytes, or fewer at the end of the input; not consumed.
    fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.end - self.start < n.min(BUFFER) && self.read_more()? {}
        Ok(&self.buf[self.start..self.end])
    }

    /// Whether everything was consumed and nothing more will come.
    fn at_end(&self) -> bool {
        self.eof && self.start == self.end
    }

    fn set_mark(&mut self) {
        self.lines_at_mark += self.newlines.len() as u64;
        if let Some(&last) = self.newlines.last() {
            self.last_newline_at_mark = Some(last);
        }
        self.newlines.clear();
        self.mark = self.pos;
    }

    /// Consumes bytes up to `target` unread but for their newlines, or
    /// to the end of the input if it comes first.
    fn discard_to(&mut self, target: u64) -> io::Result<()> {
        self.set_mark();
        while self.pos < target {
            if self.start == self.end && !self.read_more()? {
                break;
            }
            let left = usize::try_from(target - self.pos).unwrap_or(usize::MAX);
            let n = left.min(self.end - self.start);
            let chunk = &self.buf[self.start..self.start + n];
            for i in memchr::memchr_iter(b'\n', chunk) {
                self.lines_at_mark += 1;
                self.last_newline_at_mark = Some(self.pos + i as u64);
            }
            self.start += n;
            self.pos += n as u64;
        }
        self.mark = self.pos;
        Ok(())
    }

    /// The line and column (1-based, the column in bytes) of an offset
    /// within the event being read; others are taken as its nearest end.
    fn position(&self, offset: u64) -> Position {
        let offset = offset.clamp(self.mark, self.pos);
        let before = self.newlines.partition_point(|&o| o < offset);
        let last_newline = match before {
            0 => self.last_newline_at_mark,
            n => Some(self.newlines[n - 1]),
        };
        Position {
            offset,
            line: self.lines_at_mark + before as u64 + 1,
            column: offset - last_newline.map_or(0, |n| n + 1) + 1,
        }
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Source<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start == self.end {
            self.read_more()?;
        }
        Ok(&self.buf[self.start..self.end])
    }

    fn consume(&mut self, n: usize) {
        let n = n.min(self.end - self.start);
        let chunk = &self.buf[self.start..self.start + n];
        let pos = self.pos;
        self.newlines
            .extend(memchr::memchr_iter(b'\n', chunk).map(|i| pos + i as u64));
        self.start += n;
        self.pos += n as u64;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub offset: u64,
    pub line: u64,
    pub column: u64,
}

/// The namespaces the readers know, told by URI (a prefix is only a
/// name the file chooses). A prefix the file never declares is taken
/// for the one WordPress or Disqus gives it (`wp:`, `content:`, …):
/// some exporters leave a declaration out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ns {
    /// No namespace: RSS 2.0 elements, and attributes without a prefix.
    None,
    /// `http://wordpress.org/export/1.0/`, `/1.1/`, `/1.2/` (any version).
    Wp,
    /// `http://wordpress.org/export/1.x/excerpt/`.
    Excerpt,
    /// `http://purl.org/rss/1.0/modules/content/`.
    Content,
    /// `http://purl.org/dc/elements/1.1/`.
    Dc,
    /// `http://disqus.com`, the Disqus export's default namespace.
    Disqus,
    /// `http://disqus.com/disqus-internals`, the `dsq:` prefix.
    Dsq,
    Other,
}

impl Ns {
    fn of_uri(uri: &str) -> Self {
        let uri = uri.trim();
        let bare = uri
            .strip_prefix("http://")
            .or_else(|| uri.strip_prefix("https://"))
            .unwrap_or(uri)
            .trim_end_matches('/');
        if let Some(version) = bare.strip_prefix("wordpress.org/export/") {
            return match version.split_once('/') {
                None => Ns::Wp,
                Some((_, "excerpt")) => Ns::Excerpt,
                Some(_) => Ns::Other,
            };
        }
        match bare {
            "purl.org/rss/1.0/modules/content" => Ns::Content,
            "purl.org/dc/elements/1.1" => Ns::Dc,
            "disqus.com" => Ns::Disqus,
            "disqus.com/disqus-internals" => Ns::Dsq,
            _ => Ns::Other,
        }
    }

    fn of_undeclared_prefix(prefix: &str) -> Self {
        match prefix {
            "wp" => Ns::Wp,
            "excerpt" => Ns::Excerpt,
            "content" => Ns::Content,
            "dc" => Ns::Dc,
            "dsq" => Ns::Dsq,
            _ => Ns::Other,
        }
    }

    fn of(resolved: &ResolveResult) -> Self {
        match resolved {
            ResolveResult::Unbound => Ns::None,
            ResolveResult::Bound(ns) => Ns::of_uri(ns.0),
            ResolveResult::Unknown(prefix) => Ns::of_undeclared_prefix(prefix),
        }
    }

    /// Whether an element or attribute in `self` is one asked for in
    /// `wanted`. Disqus elements are read with or without their
    /// namespace.
    pub(crate) fn is(self, wanted: Ns) -> bool {
        self == wanted || (wanted == Ns::Disqus && self == Ns::None)
    }
}

pub(crate) struct Attr {
    pub ns: Ns,
    pub name: String,
    pub value: String,
}

/// An element's start tag.
pub(crate) struct Start {
    pub ns: Ns,
    /// The local name.
    pub name: String,
    /// Whether it is written with a prefix (`wp:author`).
    pub prefixed: bool,
    pub attrs: Vec<Attr>,
    /// `<x/>`: no content and no end tag follow.
    pub empty: bool,
    /// Where its `<` is.
    pub offset: u64,
    pub line: u64,
    /// The namespaces its `xmlns` attributes declare.
    pub declares: Vec<Ns>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PieceKind {
    Text,
    CData,
    Reference,
}

/// A piece of an element's character data, decoded.
pub(crate) struct Piece {
    text: String,
    kind: PieceKind,
}

impl Piece {
    pub(crate) fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

pub(crate) enum Ev {
    Start(Start),
    End,
    Text(Piece),
    /// The end of the input, or input cut off inside markup.
    Eof,
}

/// Why an element could not be read whole.
pub(crate) enum Cut {
    /// The input stops inside it: what it holds so far.
    Eof(Node),
    Error(ImportError),
}

impl From<ImportError> for Cut {
    fn from(error: ImportError) -> Self {
        Cut::Error(error)
    }
}

/// One element with what the readers use of it. Its text is its
/// character data without its children's: CDATA sections, text and
/// references joined in order, where an element with CDATA loses the
/// blank text around and between its sections (exports indent around
/// `<![CDATA[`).
pub(crate) struct Node {
    pub ns: Ns,
    pub name: String,
    pub attrs: Vec<Attr>,
    pub text: String,
    pub children: Vec<Node>,
}

impl Node {
    fn new(start: Start) -> Self {
        Node {
            ns: start.ns,
            name: start.name,
            attrs: start.attrs,
            text: String::new(),
            children: Vec::new(),
        }
    }

    fn finish(mut self, pieces: Vec<Piece>) -> Self {
        let has_cdata = pieces.iter().any(|p| p.kind == PieceKind::CData);
        // Text and references between two CDATA sections (or the ends)
        // make one run, dropped when blank.
        let mut run = String::new();
        for piece in pieces {
            if piece.kind == PieceKind::CData {
                if !(has_cdata && run.trim().is_empty()) {
                    self.text.push_str(&run);
                }
                run.clear();
                self.text.push_str(&piece.text);
            } else {
                run.push_str(&piece.text);
            }
        }
        if !(has_cdata && run.trim().is_empty()) {
            self.text.push_str(&run);
        }
        self
    }

    pub(crate) fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns.is(ns) && self.name == name
    }

    pub(crate) fn child(&self, ns: Ns, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.is(ns, name))
    }

    pub(crate) fn all<'a>(&'a self, ns: Ns, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.is(ns, name))
    }

    /// The text of the first child of that name, as written (empty when
    /// there is none).
    pub(crate) fn text(&self, ns: Ns, name: &str) -> String {
        self.child(ns, name)
            .map(|c| c.text.clone())
            .unwrap_or_default()
    }

    /// The same, trimmed: for identifiers, slugs, codes, addresses.
    pub(crate) fn word(&self, ns: Ns, name: &str) -> String {
        self.child(ns, name)
            .map(|c| c.text.trim().to_owned())
            .unwrap_or_default()
    }

    pub(crate) fn attr(&self, ns: Ns, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.ns.is(ns) && a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// An XML stream read event by event, and element by element.
pub(crate) struct Xml<R> {
    reader: NsReader<Source<R>>,
    buf: Vec<u8>,
    pub(crate) file: String,
    /// The qualified names of the elements open, checked against end
    /// tags here (quick-xml's own check is off: skipping an item on
    /// resume leaves a start tag without its end).
    open: Vec<String>,
    /// Whether the root element started (an XML declaration is read only
    /// before it).
    in_document: bool,
    /// Whether anything but blank text was read.
    pub(crate) anything: bool,
}

impl<R: Read> Xml<R> {
    pub(crate) fn new(file: String, input: R) -> Self {
        let mut reader = NsReader::from_reader(Source::new(input));
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        // A lone `&` in text ("Tom & Jerry" outside CDATA) is kept.
        config.allow_dangling_amp = true;
        Self {
            reader,
            buf: Vec::new(),
            file,
            open: Vec::new(),
            in_document: false,
            anything: false,
        }
    }

    fn source(&self) -> &Source<R> {
        self.reader.get_ref()
    }

    /// The offset of the next byte to read.
    pub(crate) fn offset(&self) -> u64 {
        self.source().pos
    }

    /// Where the last event read began.
    pub(crate) fn event_offset(&self) -> u64 {
        self.source().mark
    }

    pub(crate) fn event_line(&self) -> u64 {
        self.line_at(self.event_offset())
    }

    pub(crate) fn line_at(&self, offset: u64) -> u64 {
        self.source().position(offset).line
    }

    /// Where the input ended (or the reading stopped).
    pub(crate) fn end_position(&self) -> Position {
        self.source().position(self.source().pos)
    }

    fn io_error(&self, error: &io::Error) -> ImportError {
        ImportError::Io {
            file: self.file.clone(),
            reason: error.to_string(),
        }
    }

    pub(crate) fn malformed(&self, offset: u64, reason: impl Into<String>) -> ImportError {
        let at = self.source().position(offset);
        ImportError::Malformed {
            file: self.file.clone(),
            line: at.line,
            column: at.column,
            offset: at.offset,
            reason: reason.into(),
        }
    }

    /// Whether the bytes ahead are the start tag of an unprefixed `name`.
    fn next_is_start_of(&mut self, name: &str) -> Result<bool, ImportError> {
        let want = name.len() + 2;
        let ahead = match self.reader.get_mut().peek(want) {
            Ok(ahead) => ahead,
            Err(e) => return Err(self.io_error(&e)),
        };
        Ok(ahead.len() >= want
            && ahead[0] == b'<'
            && &ahead[1..want - 1] == name.as_bytes()
            && matches!(ahead[want - 1], b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
    }

    /// At the start tag of a resumed reading's first item (`tag`):
    /// when `target` lies ahead, leaves that item unread, skips the input
    /// to `target` and checks that another item starts there. Whether it
    /// skipped.
    pub(crate) fn skip_to_item(
        &mut self,
        start: &Start,
        target: u64,
        tag: &'static str,
    ) -> Result<bool, ImportError> {
        if start.offset >= target {
            return Ok(false);
        }
        if !start.empty {
            self.open.pop();
            self.reader.resolver_mut().pop();
        }
        if let Err(e) = self.reader.get_mut().discard_to(target) {
            return Err(self.io_error(&e));
        }
        if !self.next_is_start_of(tag)? {
            return Err(self.resume_offset(target, tag));
        }
        Ok(true)
    }

    pub(crate) fn resume_offset(&self, offset: u64, item: &'static str) -> ImportError {
        ImportError::ResumeOffset {
            file: self.file.clone(),
            offset,
            item,
        }
    }

    /// The file ends inside `inside`.
    pub(crate) fn truncated(&self, inside: &str) -> ImportError {
        let end = self.end_position();
        ImportError::Truncated {
            file: self.file.clone(),
            line: end.line,
            offset: end.offset,
            inside: inside.to_owned(),
        }
    }

    /// Reads an element whole, as [`Xml::element`]; input cut off inside
    /// it is `Truncated`, inside what `what` says of the part read and the
    /// line the element starts on.
    pub(crate) fn element_or_cut(
        &mut self,
        start: Start,
        what: impl FnOnce(&Node, u64) -> String,
    ) -> Result<Node, ImportError> {
        let line = start.line;
        self.element(start).map_err(|cut| match cut {
            Cut::Error(error) => error,
            Cut::Eof(partial) => self.truncated(&what(&partial, line)),
        })
    }

    /// The next event that matters: comments, processing instructions
    /// and the XML declaration are passed over; a DTD is refused.
    pub(crate) fn next(&mut self) -> Result<Ev, ImportError> {
        loop {
            let mut buf = std::mem::take(&mut self.buf);
            buf.clear();
            let event = self.event(&mut buf);
            self.buf = buf;
            if let Some(event) = event {
                return event;
            }
        }
    }

    /// Reads one event; `None` for one passed over.
    fn event(&mut self, buf: &mut Vec<u8>) -> Option<Result<Ev, ImportError>> {
        self.reader.get_mut().set_mark();
        let mark = self.offset();
        let (resolved, event) = match self.reader.read_resolved_event_into(buf) {
            Ok((resolved, event)) => (Ns::of(&resolved), event),
            Err(error) => return Some(self.failed(error, mark)),
        };
        let piece = |text: String, kind| Some(Ok(Ev::Text(Piece { text, kind })));
        match event {
            Event::Decl(decl) if !self.in_document => {
                let declared = decl.encoding().and_then(Result::ok)?;
                let declared = declared.trim();
                let utf8 = ["utf-8", "utf8", "us-ascii", "ascii"]
                    .iter()
                    .any(|ok| declared.eq_ignore_ascii_case(ok));
                (!utf8).then(|| {
                    Err(ImportError::Encoding {
                        file: self.file.clone(),
                        declared: declared.to_owned(),
                    })
                })
            }
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) => None,
            Event::DocType(_) => Some(Err(ImportError::Dtd {
                file: self.file.clone(),
                line: self.line_at(mark),
            })),
            Event::Text(text) => {
                let text = clean(&text.xml10_content()).into_owned();
                self.anything |= !text.trim().is_empty();
                if text.is_empty() {
                    return None;
                }
                piece(text, PieceKind::Text)
            }
            Event::CData(data) => {
                self.anything = true;
                piece(clean(&data.xml10_content()).into_owned(), PieceKind::CData)
            }
            Event::GeneralRef(reference) => {
                self.anything = true;
                piece(resolve_reference(&reference), PieceKind::Reference)
            }
            Event::Start(tag) => {
                let start = self.start(&tag, resolved, mark, false);
                self.open.push(tag.name().0.to_owned());
                Some(Ok(Ev::Start(start)))
            }
            Event::Empty(tag) => Some(Ok(Ev::Start(self.start(&tag, resolved, mark, true)))),
            Event::End(tag) => {
                let found = tag.name().0;
                Some(match self.open.pop() {
                    Some(expected) if expected == found => Ok(Ev::End),
                    Some(expected) => {
                        Err(self
                            .malformed(mark, format!("expected </{expected}>, found </{found}>")))
                    }
                    None => Err(self.malformed(mark, format!("</{found}> closes no open element"))),
                })
            }
            Event::Eof => Some(Ok(Ev::Eof)),
        }
    }

    fn start(&mut self, tag: &BytesStart, ns: Ns, offset: u64, empty: bool) -> Start {
        self.in_document = true;
        self.anything = true;
        let resolver = self.reader.resolver();
        let mut attrs = Vec::new();
        let mut declares = Vec::new();
        // HTML rules read unquoted values (`dsq:id=123`), which broken
        // exports hold; an attribute that cannot be read ends the list.
        for attr in tag.html_attributes().with_checks(false) {
            let Ok(attr) = attr else { break };
            let value = clean(&decode_entities(&attr.value)).into_owned();
            if attr.key.as_namespace_binding().is_some() {
                declares.push(Ns::of_uri(&value));
                continue;
            }
            let (resolved, local) = resolver.resolve_attribute(attr.key);
            attrs.push(Attr {
                ns: Ns::of(&resolved),
                name: local.into_inner().to_owned(),
                value,
            });
        }
        Start {
            ns,
            name: tag.local_name().into_inner().to_owned(),
            prefixed: tag.name().prefix().is_some(),
            attrs,
            empty,
            offset,
            line: self.line_at(offset),
            declares,
        }
    }

    /// What a quick-xml error means here: input cut off inside markup
    /// (it ended while a tag, a CDATA section, a comment or a character
    /// was open) is the end of the input, for the reader to report as a
    /// truncated file with what it was reading; the rest refuse the
    /// file from where they are.
    fn failed(&mut self, error: quick_xml::Error, mark: u64) -> Result<Ev, ImportError> {
        use quick_xml::Error as E;
        use quick_xml::encoding::EncodingError;
        let at_end = self.source().at_end();
        // quick-xml counts neither the byte order mark nor skipped bytes.
        let shift = self.offset().saturating_sub(self.reader.buffer_position());
        let offset = self.reader.error_position() + shift;
        match error {
            E::Io(e) => Err(self.io_error(&e)),
            E::Syntax(_) | E::Encoding(_) if at_end => {
                self.anything = true;
                Ok(Ev::Eof)
            }
            E::Encoding(EncodingError::Utf8(e)) => Err(ImportError::NotUtf8 {
                file: self.file.clone(),
                line: self.line_at(mark + e.valid_up_to() as u64),
                offset: mark + e.valid_up_to() as u64,
            }),
            other => Err(self.malformed(offset, other.to_string())),
        }
    }

    /// Reads the element whose start tag was just read, whole, into a
    /// tree: `KEPT_DEPTH` levels of it, deeper ones read past.
    pub(crate) fn element(&mut self, start: Start) -> Result<Node, Cut> {
        if start.empty {
            return Ok(Node::new(start));
        }
        let mut stack = vec![(Node::new(start), Vec::new())];
        let mut passed_over = 0usize;
        loop {
            match self.next()? {
                Ev::Start(start) => {
                    if passed_over > 0 || stack.len() >= KEPT_DEPTH {
                        passed_over += usize::from(!start.empty);
                    } else if start.empty {
                        let node = Node::new(start);
                        if let Some((parent, _)) = stack.last_mut() {
                            parent.children.push(node);
                        }
                    } else {
                        stack.push((Node::new(start), Vec::new()));
                    }
                }
                Ev::Text(piece) => {
                    if passed_over == 0
                        && let Some((_, pieces)) = stack.last_mut()
                    {
                        pieces.push(piece);
                    }
                }
                Ev::End if passed_over > 0 => passed_over -= 1,
                Ev::End => {
                    // The stack holds the element until its own end tag
                    // returns it.
                    if let Some((node, pieces)) = stack.pop() {
                        let node = node.finish(pieces);
                        match stack.last_mut() {
                            Some((parent, _)) => parent.children.push(node),
                            None => return Ok(node),
                        }
                    }
                }
                Ev::Eof => {
                    let mut partial = None;
                    while let Some((node, pieces)) = stack.pop() {
                        let mut node = node.finish(pieces);
                        if let Some(child) = partial.take() {
                            node.children.push(child);
                        }
                        partial = Some(node);
                    }
                    return match partial {
                        Some(node) => Err(Cut::Eof(node)),
                        None => Err(Cut::Error(self.malformed(self.offset(), "nothing open"))),
                    };
                }
            }
        }
    }
}

/// Character data without the C0 control characters XML 1.0 forbids
/// (but tab, newline and carriage return), which exports carry from text
/// pasted into WordPress.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    let forbidden = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    if text.contains(forbidden) {
        Cow::Owned(text.chars().filter(|&c| !forbidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// A reference's text, decoded as references in attribute values are
/// (`decode_entities`): numeric ones, and HTML's named ones, XML's five
/// among them (`&nbsp;`, which a well-formed file cannot hold but
/// exports do). One that names nothing stays as written: no entity is
/// ever declared, nor expanded into more than its one character.
fn resolve_reference(reference: &quick_xml::events::BytesRef) -> String {
    let name: &str = reference;
    clean(&decode_entities(&format!("&{name};"))).into_owned()
}
