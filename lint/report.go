package lint

import (
	"io"
)

// SkipReason counts exchanges skipped for one reason (no contract for a
// provider or resource type).
type SkipReason struct {
	Reason string `json:"reason"`
	Count  int    `json:"count"`
}

// FileSummary accounts for one input file.
type FileSummary struct {
	Path string `json:"path"`
	// Format is the detected or forced input format ("har", "example", ...),
	// empty when the file could not be read at all.
	Format    string `json:"format"`
	Exchanges int    `json:"exchanges"`
	Findings  int    `json:"findings"`
	// Error is set when the file could not be read completely; the exchanges
	// read before the problem are still counted and validated.
	Error string `json:"error,omitempty"`
}

// Summary accounts for every file and exchange a run read.
type Summary struct {
	Files     int `json:"files"`
	Exchanges int `json:"exchanges"`
	// Matched counts exchanges routed to an operation of a contract.
	Matched int `json:"matched"`
	// Skipped counts exchanges for resources no contract covers.
	Skipped     int          `json:"skipped"`
	SkipReasons []SkipReason `json:"skipReasons"`
	Errors      int          `json:"errors"`
	Warnings    int          `json:"warnings"`
	Infos       int          `json:"infos"`
	// FilesWithErrors counts files that could not be read completely.
	FilesWithErrors int           `json:"filesWithErrors"`
	PerFile         []FileSummary `json:"perFile"`
}

// Report is the outcome of a lint run: every finding, sorted by file, line,
// column and code, and the summary.
type Report struct {
	Findings []FileFinding `json:"findings"`
	Summary  Summary       `json:"summary"`
}

// Formatter writes a report in one output format.
type Formatter func(w io.Writer, r *Report) error
