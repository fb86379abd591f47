//! Output file names: the `--name` template, and the rules a name taken from input must meet.
//!
//! Nothing from the input can leave `--out`: a name is one path component, never `.` or `..`,
//! with no `/`, `\`, `:`, control character or NUL, not a Windows device name (`CON`, `NUL`,
//! `COM1`, …), not hidden (leading `.`: our temporary files start so), no trailing space or
//! dot, at most [`MAX_NAME_BYTES`] bytes. Names from the template are made safe (a leading `.`
//! becomes `_`); names from the `file` column that break a rule make the row fail.

use qrpin_codec::rows::Row;

/// The longest file name (without the extension we add).
pub const MAX_NAME_BYTES: usize = 200;

/// The placeholders a template may use.
const PLACEHOLDERS: [&str; 3] = ["{codeId}", "{upn}", "{row}"];

/// A checked `--name` template.
#[derive(Debug, Clone)]
pub struct Template(String);

impl Template {
    /// Checks a template: known placeholders only, no path separators.
    pub fn parse(t: &str) -> Result<Template, String> {
        if t.is_empty() {
            return Err("--name: the template is empty".into());
        }
        if t.contains(['/', '\\', ':']) || t.chars().any(char::is_control) {
            return Err(format!("--name {t:?}: a template makes one file name; no '/', '\\\\', ':' or control characters"));
        }
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            let close =
                rest[open..].find('}').ok_or_else(|| format!("--name {t:?}: unclosed '{{'"))?;
            let ph = &rest[open..open + close + 1];
            if !PLACEHOLDERS.contains(&ph) {
                return Err(format!(
                    "--name {t:?}: unknown placeholder {ph} (use {{codeId}}, {{upn}}, {{row}})"
                ));
            }
            rest = &rest[open + close + 1..];
        }
        Ok(Template(t.to_owned()))
    }

    /// The file name (without extension) for a row.
    pub fn name_for(&self, row: &Row) -> Result<String, String> {
        let mut s =
            self.0.replace("{codeId}", row.payload.code_id()).replace("{upn}", row.payload.upn());
        if s.contains("{row}") {
            s = s.replace("{row}", &row.row.to_string());
        }
        if s.starts_with('.') {
            s.replace_range(..1, "_");
        }
        check_name(&s)?;
        Ok(s)
    }
}

impl Default for Template {
    fn default() -> Self {
        Template("{codeId}".into())
    }
}

/// The Windows device names, which open a device instead of a file with any extension.
const RESERVED: [&str; 4] = ["CON", "PRN", "AUX", "NUL"];

/// Checks one file name (see the module docs).
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the file name is empty".into());
    }
    if name == "." || name == ".." {
        return Err(format!("the file name {name:?} is not allowed"));
    }
    if let Some(c) = name.chars().find(|c| matches!(c, '/' | '\\' | ':') || c.is_control()) {
        return Err(format!("the file name may not contain {c:?}"));
    }
    if name.starts_with('.') {
        return Err("the file name may not start with '.'".into());
    }
    if name.ends_with(['.', ' ']) {
        return Err("the file name may not end with '.' or a space".into());
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(format!("the file name is {} bytes; at most {MAX_NAME_BYTES}", name.len()));
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end().to_ascii_uppercase();
    let device = RESERVED.contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if device {
        return Err(format!("the file name {name:?} is a reserved device name on Windows"));
    }
    Ok(())
}

/// The final file name for a row: the `file` column (checked, its extension dropped when it is
/// the format's) or the template.
pub fn stem_for(row: &Row, template: &Template) -> Result<String, String> {
    match &row.file {
        Some(f) => {
            let stem = [".png", ".svg", ".PNG", ".SVG"]
                .iter()
                .find_map(|e| f.strip_suffix(e))
                .unwrap_or(f);
            check_name(stem).map_err(|e| format!("file column: {e}"))?;
            Ok(stem.to_owned())
        }
        None => template.name_for(row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_are_refused() {
        for bad in [
            "../../x", "/etc/x", "..", ".", "a/b", "a\\b", "c:x", "con", "CON.txt", "nul", "Com1",
            "lpt9.png", "a\0b", "a\nb", ".hidden", "x.", "x ", "",
        ] {
            assert!(check_name(bad).is_err(), "{bad:?} must be refused");
        }
        let long = "a".repeat(201);
        assert!(check_name(&long).is_err());
        for good in
            ["jane", "44f2f040-ea9d-4283-9e7b-b63ddae391a9", "a@b.com", "console", "com10", "x.y"]
        {
            assert_eq!(check_name(good), Ok(()), "{good:?}");
        }
    }

    #[test]
    fn templates_are_checked() {
        assert!(Template::parse("{codeId}").is_ok());
        assert!(Template::parse("badge-{row}-{upn}").is_ok());
        assert!(Template::parse("{nope}").is_err());
        assert!(Template::parse("a/{codeId}").is_err());
        assert!(Template::parse("{codeId").is_err());
        assert!(Template::parse("").is_err());
    }
}
