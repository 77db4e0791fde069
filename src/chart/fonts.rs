//! Fonts: DejaVu Sans bundled in the binary, plus fallback fonts for scripts it lacks (Korean,
//! Chinese, Japanese...), from a file the caller names or from the fonts installed on the
//! machine.
//!
//! plotters draws a whole string with one font, looked up by family name in its own registry,
//! and has no per-glyph fallback. So each font is registered there under a name of its own, and
//! the bitmap renderer splits every string into runs, each drawn with the first font that has
//! its glyphs. SVG output keeps strings whole and names a list of families, leaving the
//! fallback to the viewer.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, MutexGuard, OnceLock};

use ab_glyph::{Font, FontRef, ScaleFont};
use plotters::style::FontStyle;

use crate::chart::style;
use crate::error::{Error, Hint, Result};
use crate::model::Warning;

const DEJAVU_SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const DEJAVU_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The registry name of the bundled font.
const BUNDLED_FAMILY: &str = "DejaVu Sans";

/// The usual places fonts are installed, searched in this order for a fallback font.
const FONT_DIRECTORIES: [&str; 4] = [
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
];
/// Font folders inside the home directory.
const HOME_FONT_DIRECTORIES: [&str; 2] = [".fonts", ".local/share/fonts"];

/// Installed fonts whose file names contain one of these are tried first: they cover Korean
/// (and usually Chinese and Japanese), which is what the bundled font most often lacks.
const PREFERRED_FONT_NAMES: [&str; 7] = [
    "notosanscjk",
    "notosanskr",
    "nanumgothic",
    "malgun",
    "applesdgothicneo",
    "notosans",
    "droidsansfallback",
];

/// One font the charts can draw with.
#[derive(Clone)]
struct Face {
    /// The name it is registered under in plotters' font registry.
    family: String,
    regular: FontRef<'static>,
    /// The bold cut: the bundled font's, or a fallback's bold file beside it
    /// (`NanumGothicBold.ttf` beside `NanumGothic.ttf`); without one, bold text is drawn
    /// twice a hair apart.
    bold: Option<FontRef<'static>>,
    /// Where it came from, for messages.
    origin: String,
}

impl Face {
    fn cut(&self, bold: bool) -> &FontRef<'static> {
        match (&self.bold, bold) {
            (Some(bold_cut), true) => bold_cut,
            _ => &self.regular,
        }
    }

    fn has_glyph(&self, c: char, bold: bool) -> bool {
        self.cut(bold).glyph_id(c).0 != 0
    }
}

/// The fonts a chart is drawn with: the bundled one first, then fallbacks in the order they
/// are tried.
#[derive(Clone)]
pub struct Fonts {
    faces: Vec<Face>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let origins: Vec<&str> = self.faces.iter().map(|face| face.origin.as_str()).collect();
        f.debug_struct("Fonts").field("faces", &origins).finish()
    }
}

/// A run of text drawn with one font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TextRun<'a> {
    pub face: usize,
    pub text: &'a str,
}

impl Fonts {
    /// The bundled DejaVu Sans alone: Latin, Greek and Cyrillic, but no Korean or Chinese.
    pub fn bundled() -> Result<Fonts> {
        register_bundled()?;
        let parse = |bytes: &'static [u8]| {
            FontRef::try_from_slice(bytes)
                .map_err(|e| Error::Failed(format!("the bundled font could not be read: {e}")))
        };
        Ok(Fonts {
            faces: vec![Face {
                family: BUNDLED_FAMILY.to_string(),
                regular: parse(DEJAVU_SANS)?,
                bold: Some(parse(DEJAVU_SANS_BOLD)?),
                origin: "the bundled DejaVu Sans".to_string(),
            }],
        })
    }

    /// The fonts for drawing `text`: the bundled font, then `font_file` when given (an error
    /// names it when it is missing or not a font), then, if some characters are still without
    /// a glyph, the first installed font that has the most of them.
    pub fn for_text(text: &str, font_file: Option<&Path>) -> Result<Fonts> {
        let mut fonts = Fonts::bundled()?;
        if let Some(path) = font_file {
            fonts.add_file(path)?;
        }
        if !fonts.missing_glyphs(text).is_empty() {
            fonts.add_installed_fallback(text);
        }
        Ok(fonts)
    }

    /// Adds a font file as the next fallback. A missing, unreadable or invalid file is an
    /// error naming the path.
    pub fn add_file(&mut self, path: &Path) -> Result<()> {
        let face = font_files()?.face(path, None)?;
        self.faces.push(face);
        Ok(())
    }

    /// Characters of `text` that no font here has a glyph for, each once, in order of first
    /// appearance. Spaces and control characters never count.
    pub fn missing_glyphs(&self, text: &str) -> Vec<char> {
        let mut missing = Vec::new();
        for c in text.chars() {
            if needs_glyph(c)
                && !missing.contains(&c)
                && !self.faces.iter().any(|face| face.has_glyph(c, false))
            {
                missing.push(c);
            }
        }
        missing
    }

    /// A warning for text that would be drawn as empty boxes in a PNG, or none.
    pub fn missing_glyph_warning(&self, text: &str) -> Option<Warning> {
        let missing = self.missing_glyphs(text);
        if missing.is_empty() {
            return None;
        }
        let shown: String = missing.iter().take(12).collect();
        let warning = Warning::new(format!(
            "no font has glyphs for {} character(s) of the chart's text (\"{shown}\"{}), so the PNG shows them as boxes",
            missing.len(),
            if missing.len() > 12 { "..." } else { "" },
        ));
        Some(warning.with_hint(Hint::NameFont))
    }

    /// Where each font came from, bundled first.
    pub fn origins(&self) -> Vec<String> {
        self.faces.iter().map(|face| face.origin.clone()).collect()
    }

    /// Splits `text` into runs, each drawn with the first font that has its characters.
    /// Spaces, punctuation every font lacks, and characters no font has stay in the run
    /// around them.
    pub(crate) fn runs<'a>(&self, text: &'a str, bold: bool) -> Vec<TextRun<'a>> {
        split_runs(text, |c| {
            self.faces.iter().position(|face| face.has_glyph(c, bold))
        })
    }

    /// The plotters family name for drawing with face `index`, and whether it has the cut
    /// asked for (a fallback font asked for bold draws regular).
    pub(crate) fn family(&self, index: usize, bold: bool) -> (&str, bool) {
        match self.faces.get(index) {
            Some(face) => (face.family.as_str(), !bold || face.bold.is_some()),
            None => (BUNDLED_FAMILY, true),
        }
    }

    /// The glyphs of `run` at `size` pixels, placed from the run's start (see
    /// [`place_glyphs`]).
    pub(crate) fn place<'a>(
        &self,
        run: &TextRun<'a>,
        size: f64,
        bold: bool,
    ) -> Vec<PlacedGlyph<'a>> {
        match self.faces.get(run.face) {
            Some(face) => place_glyphs(face.cut(bold), run.text, size).0,
            None => Vec::new(),
        }
    }

    /// The width of `text` at `size` pixels, as drawn: advances plus
    /// kerning, font by font. A character no font has counts as one em, the width of the CJK
    /// glyph an SVG viewer will most likely find for it.
    pub(crate) fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        self.runs(text, bold)
            .iter()
            .map(|run| match self.faces.get(run.face) {
                Some(face) => run_width(face.cut(bold), run.text, size),
                None => 0.0,
            })
            .sum()
    }
}

/// The width of `text` in `font` at `size` pixels.
fn run_width(font: &FontRef<'static>, text: &str, size: f64) -> f64 {
    place_glyphs(font, text, size).1
}

/// One character of a run, placed: its text and where its ink's left edge goes, in pixels
/// from the run's start.
pub(crate) struct PlacedGlyph<'a> {
    pub text: &'a str,
    pub ink_left: f64,
}

/// The glyphs of `text` in `font` at `size` pixels, each placed by the advances and kerning
/// before it and its own left side bearing, and the run's width. Characters without ink
/// (spaces) only advance. A character the font lacks advances one em and draws the font's
/// missing-glyph box.
///
/// plotters places each glyph's ink box at the pen, ignoring the left side bearing, so a glyph
/// whose ink starts left of its origin (a bold "J", whose hook reaches under the letter before
/// it) sat a gap to the right. Drawing glyph by glyph at these places puts each where the font
/// says.
fn place_glyphs<'a>(
    font: &FontRef<'static>,
    text: &'a str,
    size: f64,
) -> (Vec<PlacedGlyph<'a>>, f64) {
    let scaled = font.as_scaled(size as f32);
    let mut placed = Vec::with_capacity(text.len());
    let mut pen = 0.0f64;
    let mut previous = None;
    for (offset, c) in text.char_indices() {
        let glyph = scaled.glyph_id(c);
        if let Some(previous) = previous {
            pen += f64::from(scaled.kern(previous, glyph));
        }
        previous = Some(glyph);
        // Positioned at the origin, as plotters positions what it draws.
        if let Some(outline) = scaled.outline_glyph(scaled.scaled_glyph(c)) {
            placed.push(PlacedGlyph {
                text: &text[offset..offset + c.len_utf8()],
                ink_left: pen + f64::from(outline.px_bounds().min.x),
            });
        }
        pen += if glyph.0 == 0 && needs_glyph(c) {
            size
        } else {
            f64::from(scaled.h_advance(glyph))
        };
    }
    (placed, pen)
}

fn needs_glyph(c: char) -> bool {
    !c.is_whitespace() && !c.is_control()
}

/// Splits `text` where the face that `face_for` picks changes. Characters it gives no face
/// (none has them) and whitespace join the run they are in, so a Korean phrase with spaces
/// stays one run.
pub(crate) fn split_runs(text: &str, face_for: impl Fn(char) -> Option<usize>) -> Vec<TextRun<'_>> {
    let mut runs: Vec<TextRun<'_>> = Vec::new();
    let mut run_start = 0;
    let mut run_face: Option<usize> = None;
    for (offset, c) in text.char_indices() {
        let face = if needs_glyph(c) { face_for(c) } else { None };
        match (run_face, face) {
            (Some(current), Some(next)) if current != next => {
                runs.push(TextRun {
                    face: current,
                    text: &text[run_start..offset],
                });
                run_start = offset;
                run_face = Some(next);
            }
            (None, Some(next)) => run_face = Some(next),
            _ => {}
        }
    }
    if run_start < text.len() {
        runs.push(TextRun {
            face: run_face.unwrap_or(0),
            text: &text[run_start..],
        });
    }
    runs
}

/// Registers the bundled font with plotters, once per process, under its own name and under
/// the SVG family list (the name SVG text carries, which plotters looks up to measure it).
fn register_bundled() -> Result<()> {
    static REGISTERED: OnceLock<std::result::Result<(), String>> = OnceLock::new();
    REGISTERED
        .get_or_init(|| {
            for family in [BUNDLED_FAMILY, style::SVG_FONT_FAMILIES] {
                for (font_style, bytes) in [
                    (FontStyle::Normal, DEJAVU_SANS),
                    (FontStyle::Bold, DEJAVU_SANS_BOLD),
                ] {
                    // The registry's error type has no Debug or Display: say what failed.
                    plotters::style::register_font(family, font_style, bytes)
                        .map_err(|_| "the bundled font could not be registered".to_string())?;
                }
            }
            Ok(())
        })
        .clone()
        .map_err(Error::Failed)
}

/// What this process has read of font files: the files registered with plotters, each read,
/// leaked and registered once, and what the installed fonts looked at for a fallback have of
/// the characters asked of them, so a font is read again only to be asked characters it never
/// was.
#[derive(Default)]
struct FontFiles {
    /// The bytes of each file registered, by path. They must live as long as plotters' registry
    /// (the whole process), so they are leaked, once a file.
    registered: BTreeMap<PathBuf, &'static [u8]>,
    /// Installed fonts read to choose a fallback and not registered: whether each has the
    /// characters asked of it so far, or `None` when it is not a font.
    looked_at: BTreeMap<PathBuf, Option<BTreeMap<char, bool>>>,
}

/// The process's [`FontFiles`], locked.
fn font_files() -> Result<MutexGuard<'static, FontFiles>> {
    static FONT_FILES: LazyLock<Mutex<FontFiles>> = LazyLock::new(Mutex::default);
    FONT_FILES
        .lock()
        .map_err(|_| Error::Failed("the font cache is unusable after a panic".to_string()))
}

impl FontFiles {
    /// The font at `path`, registered with plotters: read (unless `bytes` holds it already) and
    /// registered the first time, the same bytes after.
    fn face(&mut self, path: &Path, bytes: Option<Vec<u8>>) -> Result<Face> {
        let family = format!("polltrack fallback {}", path.display());
        if let Some(bytes) = self.registered.get(path) {
            let mut face = face_from_bytes(path, family, bytes)?;
            face.bold = self.bold_cut(path, &face.family);
            return Ok(face);
        }
        let bytes = match bytes {
            Some(bytes) => bytes,
            None => read_font_file_once(path)?,
        };
        // Check it is a font before leaking it, so a wrong file costs no memory.
        FontRef::try_from_slice(&bytes).map_err(|_| not_a_font(path))?;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        plotters::style::register_font(&family, FontStyle::Normal, bytes)
            .map_err(|_| not_a_font(path))?;
        self.registered.insert(path.to_path_buf(), bytes);
        self.looked_at.remove(path);
        let mut face = face_from_bytes(path, family, bytes)?;
        face.bold = self.bold_cut(path, &face.family);
        Ok(face)
    }

    /// The bold file beside the font at `path`, registered as the bold of `family`, if there
    /// is one that loads. Fonts come as families of files named alike: `NanumGothic.ttf` and
    /// `NanumGothicBold.ttf`, `NotoSansCJK-Regular.ttc` and `NotoSansCJK-Bold.ttc`.
    fn bold_cut(&mut self, path: &Path, family: &str) -> Option<FontRef<'static>> {
        let bold_path = bold_sibling(path)?;
        let bytes = match self.registered.get(&bold_path) {
            Some(bytes) => *bytes,
            None => {
                let bytes = read_font_file_once(&bold_path).ok()?;
                FontRef::try_from_slice(&bytes).ok()?;
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                self.registered.insert(bold_path, bytes);
                bytes
            }
        };
        // Registering again under the same family and style replaces it with the same bytes.
        plotters::style::register_font(family, FontStyle::Bold, bytes).ok()?;
        FontRef::try_from_slice(bytes).ok()
    }

    /// How many of `missing` the installed font at `path` has, and its bytes when they were
    /// read just now (`None` for a file that is not a font). A file registered or asked about
    /// these characters before is not read again.
    fn coverage(&mut self, path: &Path, missing: &[char]) -> Option<(usize, Option<Vec<u8>>)> {
        if let Some(bytes) = self.registered.get(path) {
            let font = FontRef::try_from_slice(bytes).ok()?;
            return Some((covered(&font, missing), None));
        }
        if let Some(known) = self.looked_at.get(path) {
            let known = known.as_ref()?;
            if missing.iter().all(|c| known.contains_key(c)) {
                return Some((missing.iter().filter(|c| known[*c]).count(), None));
            }
        }
        let bytes = read_font_file_once(path).ok();
        let has: Option<Vec<bool>> = bytes.as_deref().and_then(|bytes| {
            let font = FontRef::try_from_slice(bytes).ok()?;
            Some(missing.iter().map(|&c| font.glyph_id(c).0 != 0).collect())
        });
        let (Some(bytes), Some(has)) = (bytes, has) else {
            self.looked_at.insert(path.to_path_buf(), None);
            return None;
        };
        let known = self
            .looked_at
            .entry(path.to_path_buf())
            .or_insert_with(|| Some(BTreeMap::new()))
            .get_or_insert_with(BTreeMap::new);
        known.extend(missing.iter().copied().zip(has.iter().copied()));
        let count = has.iter().filter(|&&has| has).count();
        Some((count, Some(bytes)))
    }
}

/// How many of `chars` `font` has a glyph for.
fn covered(font: &FontRef<'_>, chars: &[char]) -> usize {
    chars.iter().filter(|c| font.glyph_id(**c).0 != 0).count()
}

/// Reads a font file for the cache, counting the reads of each path in tests.
fn read_font_file_once(path: &Path) -> Result<Vec<u8>> {
    #[cfg(test)]
    tests::count_read(path);
    read_font_file(path)
}

/// The largest font file read, in bytes. Fonts are at most tens of MB (a CJK collection of
/// every weight is about 20-40 MB); anything larger is not one, and is refused unread.
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a font file, refusing before reading anything that is not a regular file (a device
/// such as /dev/zero, a folder, a pipe) or is larger than [`MAX_FONT_BYTES`]. The read itself
/// stops past the limit, should the file grow meanwhile.
pub fn read_font_file(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        Error::Failed(format!(
            "font file {} could not be read: {e}",
            path.display()
        ))
    };
    let too_large = |size: u64| {
        Error::invalid(format!(
            "font file {} is {:.0} MB, more than any font ({} MB at most): give a TrueType or \
             OpenType font file",
            path.display(),
            size as f64 / (1024.0 * 1024.0),
            MAX_FONT_BYTES / (1024 * 1024)
        ))
    };
    // Looked at before opening: opening a named pipe would wait for a writer forever.
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Error::invalid(format!(
            "font file {} is not a regular file: give a TrueType or OpenType font file",
            path.display()
        )));
    }
    if metadata.len() > MAX_FONT_BYTES {
        return Err(too_large(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    let file = std::fs::File::open(path).map_err(unreadable)?;
    file.take(MAX_FONT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FONT_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn face_from_bytes(path: &Path, family: String, bytes: &'static [u8]) -> Result<Face> {
    let regular = FontRef::try_from_slice(bytes).map_err(|_| not_a_font(path))?;
    Ok(Face {
        family,
        regular,
        bold: None,
        origin: path.display().to_string(),
    })
}

/// The bold file of the family of the font at `path`, if one is beside it.
fn bold_sibling(path: &Path) -> Option<PathBuf> {
    let stem = path.file_stem()?.to_str()?;
    let extension = path.extension()?.to_str()?;
    let stems = if stem.contains("Regular") {
        vec![stem.replace("Regular", "Bold")]
    } else {
        ["Bold", "-Bold", "_Bold"]
            .iter()
            .map(|suffix| format!("{stem}{suffix}"))
            .collect()
    };
    stems
        .into_iter()
        .map(|bold| path.with_file_name(format!("{bold}.{extension}")))
        .find(|bold| bold.is_file())
}

fn not_a_font(path: &Path) -> Error {
    Error::invalid(format!(
        "font file {} is not a TrueType or OpenType font",
        path.display()
    ))
}

impl Fonts {
    /// Adds the installed font that has the most of `text`'s missing characters (all of them,
    /// ideally), if any has one. Fonts with CJK in their name are tried first; the search stops
    /// at the first font that has them all.
    fn add_installed_fallback(&mut self, text: &str) {
        let missing = self.missing_glyphs(text);
        // A cache unusable after a panic leaves the text without a fallback, as an unreadable
        // font would.
        let Ok(mut files) = font_files() else {
            return;
        };
        let mut best: Option<(usize, &Path, Option<Vec<u8>>)> = None;
        for path in installed_font_files() {
            let Some((count, bytes)) = files.coverage(path, &missing) else {
                continue;
            };
            if count > best.as_ref().map_or(0, |(most, _, _)| *most) {
                let complete = count == missing.len();
                best = Some((count, path, bytes));
                if complete {
                    break;
                }
            }
        }
        if let Some((_, path, bytes)) = best {
            // A font that parsed above but fails to load now is skipped, like any unreadable one.
            if let Ok(face) = files.face(path, bytes) {
                self.faces.push(face);
            }
        }
    }
}

/// Font files in the usual folders, preferred names first, then by path (so the choice does
/// not depend on the order the file system lists them in). The folders are searched once a
/// process.
fn installed_font_files() -> &'static [PathBuf] {
    static INSTALLED: LazyLock<Vec<PathBuf>> = LazyLock::new(search_installed_font_files);
    &INSTALLED
}

fn search_installed_font_files() -> Vec<PathBuf> {
    #[cfg(test)]
    tests::SEARCHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut folders: Vec<PathBuf> = FONT_DIRECTORIES.iter().map(PathBuf::from).collect();
    if let Some(home) = std::env::home_dir() {
        folders.extend(HOME_FONT_DIRECTORIES.iter().map(|dir| home.join(dir)));
    }
    let mut files = Vec::new();
    for folder in folders {
        collect_font_files(&folder, 0, &mut files);
    }
    files.sort_by_key(|path| (preference(path), path.clone()));
    files
}

/// The position of the first preferred name in the file's name, or after them all.
fn preference(path: &Path) -> usize {
    let name = path
        .file_name()
        .map(|name| {
            name.to_string_lossy()
                .to_lowercase()
                .replace(['-', '_', ' '], "")
        })
        .unwrap_or_default();
    PREFERRED_FONT_NAMES
        .iter()
        .position(|preferred| name.contains(preferred))
        .unwrap_or(PREFERRED_FONT_NAMES.len())
}

fn collect_font_files(folder: &Path, depth: usize, files: &mut Vec<PathBuf>) {
    // Font folders are shallow; the limit guards against symlink loops.
    const MAX_DEPTH: usize = 6;
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth < MAX_DEPTH {
                collect_font_files(&path, depth + 1, files);
            }
        } else if path.extension().is_some_and(|ext| {
            ["ttf", "otf", "ttc", "otc"]
                .iter()
                .any(|known| ext.eq_ignore_ascii_case(known))
        }) {
            files.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads of font files by path, and searches of the installed fonts, in this process.
    static READS: LazyLock<Mutex<BTreeMap<PathBuf, usize>>> = LazyLock::new(Mutex::default);
    pub(super) static SEARCHES: std::sync::atomic::AtomicUsize =
        std::sync::atomic::AtomicUsize::new(0);

    pub(super) fn count_read(path: &Path) {
        if let Ok(mut reads) = READS.lock() {
            *reads.entry(path.to_path_buf()).or_default() += 1;
        }
    }

    fn reads(path: &Path) -> usize {
        READS.lock().unwrap().get(path).copied().unwrap_or(0)
    }

    #[test]
    fn a_font_file_is_read_leaked_and_registered_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fallback.ttf");
        let asset = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans-Bold.ttf");
        std::fs::copy(asset, &path).unwrap();
        let first = Fonts::for_text("Oppose", Some(&path)).unwrap();
        let second = Fonts::for_text("Oppose", Some(&path)).unwrap();
        assert_eq!(reads(&path), 1);
        // Bytes are leaked and registered only after a read: the second uses the first's,
        // under the same registered name.
        assert!(font_files().unwrap().registered.contains_key(&path));
        assert_eq!(first.family(1, false), second.family(1, false));
        assert_eq!(first.origins(), second.origins());
    }

    #[test]
    fn installed_fonts_are_searched_and_read_once() {
        let text = "지소미아 GSOMIA ∰ ⨌";
        let first = Fonts::for_text(text, None).unwrap();
        let second = Fonts::for_text(text, None).unwrap();
        assert_eq!(first.origins(), second.origins());
        assert_eq!(SEARCHES.load(std::sync::atomic::Ordering::Relaxed), 1);
        // Hangul is in no bundled font: the first installed font at least was read, once.
        let installed = installed_font_files();
        assert!(installed.is_empty() || reads(&installed[0]) == 1);
        for path in installed {
            assert!(reads(path) <= 1, "{} read again", path.display());
        }
    }

    #[test]
    fn the_bundled_font_has_latin_but_not_hangul() {
        let fonts = Fonts::bundled().unwrap();
        assert!(
            fonts
                .missing_glyphs("Oppose 59% · Überblick — Ελλάδα")
                .is_empty()
        );
        assert_eq!(
            fonts.missing_glyphs("지소미아 반대"),
            vec!['지', '소', '미', '아', '반', '대']
        );
        let warning = fonts.missing_glyph_warning("지소미아 GSOMIA").unwrap();
        assert!(warning.message.contains("4 character(s)"), "{warning}");
        assert!(warning.message.contains("지소미아"), "{warning}");
        assert_eq!(warning.hint, Some(Hint::NameFont), "{warning}");
        assert!(fonts.missing_glyph_warning("GSOMIA").is_none());
    }

    #[test]
    fn text_splits_into_runs_where_the_font_changes() {
        // Face 0 has ASCII, face 1 has Hangul, nobody has the snowman.
        let face_for = |c: char| {
            if c.is_ascii() {
                Some(0)
            } else if ('가'..='힣').contains(&c) {
                Some(1)
            } else {
                None
            }
        };
        let runs = split_runs("GSOMIA 반대 여론 59%", face_for);
        assert_eq!(
            runs,
            vec![
                TextRun {
                    face: 0,
                    text: "GSOMIA "
                },
                TextRun {
                    face: 1,
                    text: "반대 여론 "
                },
                TextRun {
                    face: 0,
                    text: "59%"
                },
            ]
        );
        assert_eq!(
            split_runs("☃ snow", face_for),
            vec![TextRun {
                face: 0,
                text: "☃ snow"
            }]
        );
        assert_eq!(
            split_runs("반☃대", face_for),
            vec![TextRun {
                face: 1,
                text: "반☃대"
            }]
        );
        assert!(split_runs("", face_for).is_empty());
    }

    #[test]
    fn a_missing_font_file_is_an_error_naming_it() {
        let err = Fonts::for_text("Oppose", Some(Path::new("no/such/font.ttf"))).unwrap_err();
        assert!(matches!(err, Error::Failed(_)));
        assert!(err.to_string().contains("no/such/font.ttf"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_font_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.ttf");
        std::fs::write(&path, "not a font").unwrap();
        let err = Fonts::for_text("Oppose", Some(&path)).unwrap_err();
        assert!(matches!(err, Error::Invalid { .. }));
        assert!(err.to_string().contains("notes.ttf"), "{err}");
    }

    #[test]
    fn a_fallback_font_draws_bold_with_the_bold_file_beside_it() {
        let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
        let dir = tempfile::tempdir().unwrap();
        let (regular, bold) = (dir.path().join("Sans.ttf"), dir.path().join("SansBold.ttf"));
        std::fs::copy(assets.join("DejaVuSans.ttf"), &regular).unwrap();
        // Alone, a fallback has no bold cut: bold text is drawn twice instead.
        let alone = Fonts::for_text("x", Some(&regular)).unwrap();
        assert!(!alone.family(1, true).1);
        std::fs::copy(assets.join("DejaVuSans-Bold.ttf"), &bold).unwrap();
        let other = dir.path().join("Other.ttf");
        std::fs::copy(&regular, &other).unwrap();
        std::fs::copy(
            assets.join("DejaVuSans-Bold.ttf"),
            dir.path().join("Other-Bold.ttf"),
        )
        .unwrap();
        let with_bold = Fonts::for_text("x", Some(&other)).unwrap();
        assert!(with_bold.family(1, true).1, "Other-Bold.ttf is its bold");
        let bold_width = with_bold.width("Oppose", 20.0, true);
        assert!(bold_width > with_bold.width("Oppose", 20.0, false));
        // The names families come in.
        assert_eq!(bold_sibling(&regular), Some(bold));
        let noto = dir.path().join("NotoSansCJK-Regular.ttc");
        let noto_bold = dir.path().join("NotoSansCJK-Bold.ttc");
        std::fs::write(&noto_bold, b"").unwrap();
        assert_eq!(bold_sibling(&noto), Some(noto_bold));
        assert_eq!(bold_sibling(&dir.path().join("Lone.ttf")), None);
    }

    #[test]
    fn a_font_file_becomes_a_fallback_after_the_bundled_font() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts/DejaVuSans-Bold.ttf");
        let fonts = Fonts::for_text("Oppose", Some(&path)).unwrap();
        let origins = fonts.origins();
        assert_eq!(origins.len(), 2);
        assert!(origins[1].ends_with("DejaVuSans-Bold.ttf"));
        // Latin stays with the bundled font; the file is only for what it lacks.
        assert_eq!(
            fonts.runs("Oppose", false),
            vec![TextRun {
                face: 0,
                text: "Oppose"
            }]
        );
        // Loading the same file again reuses the bytes read the first time.
        Fonts::for_text("Oppose", Some(&path)).unwrap();
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        let fonts = Fonts::bundled().unwrap();
        let narrow = fonts.width("Oppose", 16.0, false);
        assert!(narrow > 30.0 && narrow < 80.0, "{narrow}");
        assert!(fonts.width("Oppose", 32.0, false) > 1.9 * narrow);
        assert!(fonts.width("Oppose", 16.0, true) > narrow);
        // Unknown characters count one em each.
        assert!((fonts.width("반대", 16.0, false) - 32.0).abs() < 0.01);
    }
}
