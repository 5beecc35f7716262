// The generic row machinery (CSV quoting and parsing, `TextTable`, `Columns`, `RowTable`) moved
// to IntarsiaRows; re-exported so that code importing IntarsiaReports for it (the executable,
// tests) keeps compiling while its imports are brought up to date.
@_exported import IntarsiaRows
