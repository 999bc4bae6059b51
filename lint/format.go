package lint

import (
	"fmt"
	"sort"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// formatters maps each output format's name to its Formatter.
var formatters = map[string]Formatter{
	"github": GitHub,
	"json":   JSON,
	"junit":  JUnit,
	"sarif":  SARIF,
	"text":   Text,
}

// FormatNames returns the names of the output formats, sorted.
func FormatNames() []string {
	names := make([]string, 0, len(formatters))
	for name := range formatters {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// FormatterFor returns the Formatter for an output format name ("text",
// "json", "sarif", "junit" or "github"), ignoring case. An unknown name is an
// error that lists the valid names.
func FormatterFor(name string) (Formatter, error) {
	if f, ok := formatters[strings.ToLower(name)]; ok {
		return f, nil
	}
	names := FormatNames()
	return nil, fmt.Errorf("unknown format %q (want %s or %s)",
		name, strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// normalize returns a copy of r that every formatter can render as is: the
// findings sorted by file, line, column, code and pointer (the caller's slice
// is left alone), positions at least 1:1, skip reasons by count then reason,
// per-file summaries by path, and no nil slices, so that empty renders as []
// and never null. A nil report is an empty one. A finding without a valid
// severity is an error: it would render as nonsense in every format.
func normalize(r *Report) (Report, error) {
	var out Report
	if r == nil {
		r = &Report{}
	}
	out.Findings = make([]FileFinding, len(r.Findings))
	copy(out.Findings, r.Findings)
	for i := range out.Findings {
		f := &out.Findings[i]
		if f.Severity < validate.Info || f.Severity > validate.Error {
			return Report{}, fmt.Errorf("finding %s at %s:%d:%d has invalid severity %d",
				f.Code, f.File, f.Line, f.Column, int8(f.Severity))
		}
		f.Line = max(f.Line, 1)
		f.Column = max(f.Column, 1)
	}
	sortFindings(out.Findings)

	out.Summary = r.Summary
	out.Summary.SkipReasons = make([]SkipReason, len(r.Summary.SkipReasons))
	copy(out.Summary.SkipReasons, r.Summary.SkipReasons)
	sort.SliceStable(out.Summary.SkipReasons, func(i, j int) bool {
		a, b := out.Summary.SkipReasons[i], out.Summary.SkipReasons[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Reason < b.Reason
	})
	out.Summary.PerFile = make([]FileSummary, len(r.Summary.PerFile))
	copy(out.Summary.PerFile, r.Summary.PerFile)
	sort.SliceStable(out.Summary.PerFile, func(i, j int) bool {
		return out.Summary.PerFile[i].Path < out.Summary.PerFile[j].Path
	})
	return out, nil
}

// sortFindings orders findings by file, line, column, code and pointer, then
// by exchange and message so that the order never depends on the input's.
func sortFindings(fs []FileFinding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Code != b.Code:
			return a.Code < b.Code
		case a.Pointer != b.Pointer:
			return a.Pointer < b.Pointer
		case a.Exchange != b.Exchange:
			return a.Exchange < b.Exchange
		}
		return a.Message < b.Message
	})
}

// reportFiles returns every file the report knows of, sorted: each file in
// the per-file summary (every file read) and each file named only by a
// finding. r must be normalized.
func reportFiles(r *Report) []string {
	seen := make(map[string]bool, len(r.Summary.PerFile))
	files := make([]string, 0, len(r.Summary.PerFile))
	for _, fs := range r.Summary.PerFile {
		if !seen[fs.Path] {
			seen[fs.Path] = true
			files = append(files, fs.Path)
		}
	}
	for i := range r.Findings {
		if f := r.Findings[i].File; !seen[f] {
			seen[f] = true
			files = append(files, f)
		}
	}
	sort.Strings(files)
	return files
}

// operationLabel names the operation a finding was checked against, as
// "operationId api-version", either part omitted when unknown; "" when both
// are.
func operationLabel(f *FileFinding) string {
	switch {
	case f.OperationID == "":
		return f.APIVersion
	case f.APIVersion == "":
		return f.OperationID
	}
	return f.OperationID + " " + f.APIVersion
}
