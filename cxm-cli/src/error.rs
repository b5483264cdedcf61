//! What can go wrong after the arguments parsed, and how it reads: one line, the `Display` text,
//! naming the file, the line and the column where there are ones to name.

use std::fmt;

/// Exit code of a file that cannot be read or whose data are bad.
pub const EXIT_DATA: u8 = 1;
/// Exit code of bad usage, as clap's own errors use.
pub const EXIT_USAGE: u8 = 2;

/// A failure, printed as `cxm: <Display>` on stderr.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The file could not be read, or its data are bad: exit code [`EXIT_DATA`].
    Data(DataError),
    /// A combination of options the core refuses (an unsupported method, a level outside
    /// (0, 1)): exit code [`EXIT_USAGE`].
    Usage(String),
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Data(_) => EXIT_DATA,
            Failure::Usage(_) => EXIT_USAGE,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Data(error) => error.fmt(f),
            Failure::Usage(message) => f.write_str(message),
        }
    }
}

impl From<DataError> for Failure {
    fn from(error: DataError) -> Failure {
        Failure::Data(error)
    }
}

/// Bad data, with where it is: `examples/bad.csv: line 3, column "score": score 11 is outside
/// 0..=10`.
#[derive(Debug, Clone, PartialEq)]
pub struct DataError {
    /// The file, as the user named it.
    pub file: String,
    /// The line (1 is the header), when the problem has one.
    pub line: Option<u64>,
    /// The column's name, when the problem is in one.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl DataError {
    /// A problem with the file as a whole.
    pub fn new(file: &str, message: impl Into<String>) -> DataError {
        DataError { file: file.to_owned(), line: None, column: None, message: message.into() }
    }

    /// The same problem, on `line`.
    #[must_use]
    pub fn at_line(mut self, line: u64) -> DataError {
        self.line = Some(line);
        self
    }

    /// The same problem, in `column`.
    #[must_use]
    pub fn in_column(mut self, column: &str) -> DataError {
        self.column = Some(column.to_owned());
        self
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.file)?;
        match (self.line, &self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column:?}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            (None, Some(column)) => write!(f, "column {column:?}: ")?,
            (None, None) => {}
        }
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_file_line_and_column() {
        let e =
            DataError::new("bad.csv", "score 11 is outside 0..=10").at_line(3).in_column("score");
        assert_eq!(e.to_string(), r#"bad.csv: line 3, column "score": score 11 is outside 0..=10"#);
        assert_eq!(DataError::new("a.csv", "empty").to_string(), "a.csv: empty");
        assert_eq!(Failure::Usage("no".into()).exit_code(), EXIT_USAGE);
        assert_eq!(Failure::from(DataError::new("a.csv", "x")).exit_code(), EXIT_DATA);
    }
}
