//! Reads the CSV into typed columns, checking the file's shape on the way: the header and the
//! columns asked for, the number of fields in every row, numbers that are numbers, labels that
//! are not blank. Whether a score is on the scale and a weight is usable is cxm-core's rule,
//! checked when the report is computed, still before anything is printed.

use std::fmt::Write as _;
use std::path::Path;

use csv::{ReaderBuilder, StringRecord, Trim};

use crate::error::DataError;

/// The UTF-8 byte-order mark some spreadsheet programs write before the header.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The cell texts read as a missing score by default: blank and pandas' default `na_values`
/// (`pandas.read_csv`, pandas 2.2), so that a file pandas reads the same way reads the same here.
pub const DEFAULT_NA_VALUES: [&str; 20] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "NaT",
];

/// Which columns to read.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// Cell texts read as a missing score besides [`DEFAULT_NA_VALUES`] (`--na-values`).
    pub na_values: &'a [String],
    /// The score column.
    pub score: &'a str,
    /// The weight column, if any.
    pub weight: Option<&'a str>,
    /// Label columns (segments and the period), in the order asked for.
    pub labels: &'a [&'a str],
}

/// A column of labels, one per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// The column's name.
    pub column: String,
    /// One label per row, never blank.
    pub values: Vec<String>,
}

/// The columns of the survey, one entry per data row.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    /// The file's line where each row starts (the header is line 1).
    pub lines: Vec<u64>,
    /// Scores as numbers; NaN where the cell is blank (a missing score).
    pub scores: Vec<f64>,
    /// Weights as numbers, when a weight column was asked for.
    pub weights: Option<Vec<f64>>,
    /// The label columns, in the order of [`Wanted::labels`].
    pub labels: Vec<Labels>,
}

/// Reads `path` with `delimiter`, keeping the `wanted` columns.
///
/// # Errors
/// A [`DataError`] naming the file, and the line and column where there are ones, for a file
/// that cannot be opened, an empty file, a header without a wanted column, a row with too few
/// or too many fields, a score or weight that is not a number, a blank weight or label, a file
/// with no data rows, or text that is not UTF-8.
pub fn read(path: &Path, delimiter: u8, wanted: Wanted<'_>) -> Result<Survey, DataError> {
    let file = path.display().to_string();
    let bad = |message: String| DataError::new(&file, message);
    let bytes = read_all(path).map_err(|e| bad(format!("cannot read the file: {e}")))?;
    let (lines, mut reader) = csv_of(&bytes, delimiter, &file)?;

    let header = reader.headers().map_err(|e| csv_error(&file, &lines, &e))?.clone();
    if header.iter().all(str::is_empty) {
        return Err(bad(format!(
            "the file is empty: expected a header line naming the columns, with {:?} among them",
            wanted.score
        )));
    }
    let find = |name: &str| column_index(&header, name).map_err(|message| bad(message).at_line(1));
    let score = find(wanted.score)?;
    let weight = wanted.weight.map(find).transpose()?;
    let labels = wanted.labels.iter().map(|&name| find(name)).collect::<Result<Vec<_>, _>>()?;

    let mut survey = Survey {
        lines: Vec::new(),
        scores: Vec::new(),
        weights: weight.map(|_| Vec::new()),
        labels: wanted
            .labels
            .iter()
            .map(|&name| Labels { column: name.to_owned(), values: Vec::new() })
            .collect(),
    };
    let mut record = StringRecord::new();
    while reader.read_record(&mut record).map_err(|e| csv_error(&file, &lines, &e))? {
        let line = record.position().map_or(0, |pos| lines.of(pos));
        let at = |column: &str, message: String| bad(message).at_line(line).in_column(column);
        survey.lines.push(line);
        let text = &record[score];
        let missing =
            DEFAULT_NA_VALUES.contains(&text) || wanted.na_values.iter().any(|na| na == text);
        let value =
            if missing { f64::NAN } else { score_cell(text).map_err(|m| at(wanted.score, m))? };
        survey.scores.push(value);
        if let (Some(index), Some(weights), Some(name)) =
            (weight, survey.weights.as_mut(), wanted.weight)
        {
            // A missing score's weight is not read: skipped, the response has none; rejected,
            // the missing score is the error.
            weights.push(if missing {
                f64::NAN
            } else {
                weight_cell(&record[index]).map_err(|m| at(name, m))?
            });
        }
        for (&index, column) in labels.iter().zip(&mut survey.labels) {
            let value = &record[index];
            if value.is_empty() {
                return Err(at(&column.column, "blank: every row needs a label here".to_owned()));
            }
            column.values.push(value.to_owned());
        }
    }
    if survey.scores.is_empty() {
        return Err(bad("no responses: the file has a header line but no rows".to_owned()));
    }
    Ok(survey)
}

/// The CSV of a file's `bytes` as every file of the command line is read: its byte-order mark
/// dropped, its quotes checked (an unclosed quote names the line it opens on), a reader with
/// the delimiter that refuses ragged rows and trims fields, and the index of its lines.
///
/// # Errors
/// A [`DataError`] naming `file` and the line of a bad quote.
pub(crate) fn csv_of<'a>(
    bytes: &'a [u8],
    delimiter: u8,
    file: &str,
) -> Result<(Lines<'a>, csv::Reader<&'a [u8]>), DataError> {
    let text = bytes.strip_prefix(BOM).unwrap_or(bytes);
    check_quotes(text, delimiter)
        .map_err(|(line, message)| DataError::new(file, message).at_line(line))?;
    let reader =
        ReaderBuilder::new().delimiter(delimiter).flexible(false).trim(Trim::All).from_reader(text);
    Ok((Lines::new(text), reader))
}

/// The whole file, or standard input when the path is `-` (as in `cat survey.csv | cxm report -`).
pub(crate) fn read_all(path: &Path) -> std::io::Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)?;
        Ok(bytes)
    } else {
        std::fs::read(path)
    }
}

/// Checks the quoting that the csv reader lets pass (RFC 4180, section 2): a quoted field must
/// be closed, and end at its closing quote (blanks aside). The reader would take the rest of
/// the file into an unclosed field, and `"Par"is` as `Paris`. The error names the line.
fn check_quotes(text: &[u8], delimiter: u8) -> Result<(), (u64, String)> {
    const DOUBLED: &str = "a quote inside a quoted field is written twice, \"\"";
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted { opened: u64 },
        // A quote seen inside a quoted field: doubled, or the field's end.
        QuoteInQuoted { opened: u64 },
        AfterClosingQuote,
    }
    let mut state = State::FieldStart;
    let mut line = 1;
    for &byte in text {
        let ends_field = byte == delimiter || byte == b'\n' || byte == b'\r';
        state = match state {
            State::FieldStart if byte == b'"' => State::Quoted { opened: line },
            State::FieldStart | State::Unquoted if ends_field => State::FieldStart,
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted { opened } if byte == b'"' => State::QuoteInQuoted { opened },
            State::Quoted { .. } => state,
            State::QuoteInQuoted { opened } if byte == b'"' => State::Quoted { opened },
            State::QuoteInQuoted { .. } | State::AfterClosingQuote if ends_field => {
                State::FieldStart
            }
            State::QuoteInQuoted { .. } | State::AfterClosingQuote
                if byte == b' ' || byte == b'\t' =>
            {
                State::AfterClosingQuote
            }
            State::QuoteInQuoted { .. } | State::AfterClosingQuote => {
                return Err((line, format!("text after the closing quote of a field ({DOUBLED})")));
            }
        };
        if byte == b'\n' {
            line += 1;
        }
    }
    match state {
        State::Quoted { opened } => {
            Err((opened, format!("a quoted field opens here and is never closed ({DOUBLED})")))
        }
        _ => Ok(()),
    }
}

/// The index of the column `name`; an error naming the columns there are when it is absent,
/// or when it appears twice.
pub(crate) fn column_index(header: &StringRecord, name: &str) -> Result<usize, String> {
    let mut found = header.iter().enumerate().filter(|&(_, column)| column == name);
    match (found.next(), found.next()) {
        (Some((index, _)), None) => Ok(index),
        (Some(_), Some(_)) => Err(format!("the header names the column {name:?} twice")),
        (None, _) => {
            let columns: Vec<String> = header.iter().map(|c| format!("{c:?}")).collect();
            let mut message = format!("no column {name:?}; the header has {}", columns.join(", "));
            // One column holding another common delimiter: the file is likely split by it.
            if let [only] = header.iter().collect::<Vec<_>>()[..] {
                if let Some(d) = [';', '\t', '|'].into_iter().find(|&d| only.contains(d)) {
                    let _ =
                        write!(message, " (split by {d:?}? pass --delimiter {:?})", d.to_string());
                }
            }
            Err(message)
        }
    }
}

/// The index of the optional column `name`: none when absent, an error when named twice or
/// named only in another case (`Value`), which would otherwise be ignored silently.
pub(crate) fn optional_column(header: &StringRecord, name: &str) -> Result<Option<usize>, String> {
    if header.iter().any(|c| c == name) {
        return column_index(header, name).map(Some);
    }
    match header.iter().find(|c| c.eq_ignore_ascii_case(name)) {
        Some(other) => Err(format!(
            "the header has {other:?} but not {name:?}: column names are case-sensitive"
        )),
        None => Ok(None),
    }
}

/// A score that is not a missing-value marker: it must be a number. Whether it is a score on
/// the NPS scale is the core's to say.
fn score_cell(text: &str) -> Result<f64, String> {
    number(text).ok_or_else(|| {
        format!("score {text:?} is not a number (to read it as missing, pass --na-values={text:?})")
    })
}

/// A weight: a number; blank is an error (a weight has no missing-value policy).
fn weight_cell(text: &str) -> Result<f64, String> {
    if text.is_empty() {
        return Err("the weight is blank".to_owned());
    }
    number(text).ok_or_else(|| format!("weight {text:?} is not a number"))
}

/// A decimal number; the text "NaN" is not one (NaN means "missing" to the core).
fn number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|x| !x.is_nan())
}

/// Line numbers from byte offsets. The csv crate's own line count lags behind by one per CRLF
/// line end (BurntSushi/rust-csv#395), so lines are counted here, from the bytes.
pub(crate) struct Lines<'a> {
    text: &'a [u8],
    /// The offset of every `\n`.
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Lines<'a> {
        let newlines = text.iter().enumerate().filter(|&(_, &b)| b == b'\n').map(|(i, _)| i);
        Lines { text, newlines: newlines.collect() }
    }

    /// The line of the record that csv says starts at `pos`. After a CRLF the position is that
    /// of the `\n` (or of blank lines before the record), so the record begins at the first
    /// byte from there that is not a line end.
    pub(crate) fn of(&self, pos: &csv::Position) -> u64 {
        let from = usize::try_from(pos.byte()).unwrap_or(usize::MAX).min(self.text.len());
        let start = self.text[from..]
            .iter()
            .position(|&b| b != b'\r' && b != b'\n')
            .map_or(self.text.len(), |skip| from + skip);
        let before = self.newlines.partition_point(|&newline| newline < start);
        u64::try_from(before).map_or(u64::MAX, |n| n + 1)
    }
}

/// A CSV error as a [`DataError`] with the line it happened on.
pub(crate) fn csv_error(file: &str, lines: &Lines<'_>, error: &csv::Error) -> DataError {
    let error_line = match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, .. } | csv::ErrorKind::Utf8 { pos, .. } => {
            pos.as_ref().map(|pos| lines.of(pos))
        }
        _ => None,
    };
    let error = DataError::new(file, describe(error));
    match error_line {
        Some(line) => error.at_line(line),
        None => error,
    }
}

/// What went wrong, in words, without the position (the caller names it).
fn describe(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Io(e) => e.to_string(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            let plural = if *len == 1 { "" } else { "s" };
            format!("{len} field{plural}, where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { err, .. } => {
            format!("field {} is not valid UTF-8", err.field() + 1)
        }
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(score_cell("9"), Ok(9.0));
        assert!(score_cell("NaN").is_err());
        assert_eq!(
            score_cell("nine"),
            Err(r#"score "nine" is not a number (to read it as missing, pass --na-values="nine")"#
                .to_owned())
        );
        assert_eq!(weight_cell("0.5"), Ok(0.5));
        assert_eq!(weight_cell(""), Err("the weight is blank".to_owned()));
    }

    #[test]
    fn lines_from_bytes() {
        let text = b"a,b\r\n1,2\r\n\r\n3,4\n";
        let lines = Lines::new(text);
        let at = |byte| {
            let mut pos = csv::Position::new();
            pos.set_byte(byte);
            lines.of(&pos)
        };
        assert_eq!([at(0), at(4), at(5), at(9), at(10), at(12)], [1, 2, 2, 4, 4, 4]);
    }

    #[test]
    fn columns_are_found_once() {
        let header: StringRecord = ["a", "score", "a"].into_iter().collect();
        assert_eq!(column_index(&header, "score"), Ok(1));
        assert_eq!(
            column_index(&header, "a"),
            Err(r#"the header names the column "a" twice"#.into())
        );
        assert_eq!(
            column_index(&header, "b"),
            Err(r#"no column "b"; the header has "a", "score", "a""#.into())
        );
        let semicolons = StringRecord::from(vec!["id;score"]);
        assert_eq!(
            column_index(&semicolons, "score"),
            Err(r#"no column "score"; the header has "id;score" (split by ';'? pass --delimiter ";")"#
                .into())
        );
    }
}
