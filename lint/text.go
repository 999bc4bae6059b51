package lint

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Text writes the report for people and for editors that jump to
// file:line:col. Each finding is one line:
//
//	file:line:col: severity CODE message (operationId api-version)
//
// where the parenthesis names the operation the exchange was checked
// against; it holds only what is known and is left out when neither is. A
// last line sums the run up:
//
//	4 files, 12 exchanges: 9 matched, 3 skipped (2 no contract for X, 1 no contract for Y); 2 errors, 1 warning, 0 info; 1 file could not be read completely (a.har)
//
// The skip reasons are listed by count, the unreadable files by path; an
// "N unmatched" part follows the skipped count when some exchanges were
// neither matched nor skipped (an unsupported api-version, say). Control
// characters in messages and paths are written as Go escapes (\n, \r, \x1b)
// so that every finding stays on one line.
func Text(w io.Writer, r *Report) error {
	n, err := normalize(r)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	for i := range n.Findings {
		f := &n.Findings[i]
		fmt.Fprintf(bw, "%s:%d:%d: %s %s %s", oneLine(f.File), f.Line, f.Column, f.Severity, oneLine(f.Code), oneLine(f.Message))
		if op := operationLabel(f); op != "" {
			fmt.Fprintf(bw, " (%s)", oneLine(op))
		}
		bw.WriteByte('\n')
	}
	bw.WriteString(summaryLine(&n.Summary))
	bw.WriteByte('\n')
	return bw.Flush()
}

// summaryLine renders the one-line account of a run used by Text and GitHub.
// s must be normalized.
func summaryLine(s *Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s, %s: %d matched, %d skipped",
		plural(s.Files, "file", "files"), plural(s.Exchanges, "exchange", "exchanges"), s.Matched, s.Skipped)
	if len(s.SkipReasons) > 0 {
		b.WriteString(" (")
		for i, sr := range s.SkipReasons {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d %s", sr.Count, oneLine(sr.Reason))
		}
		b.WriteString(")")
	}
	if unmatched := s.Exchanges - s.Matched - s.Skipped; unmatched > 0 {
		fmt.Fprintf(&b, ", %d unmatched", unmatched)
	}
	fmt.Fprintf(&b, "; %s, %s, %d info",
		plural(s.Errors, "error", "errors"), plural(s.Warnings, "warning", "warnings"), s.Infos)

	var unreadable []string
	for _, fs := range s.PerFile {
		if fs.Error != "" {
			unreadable = append(unreadable, oneLine(fs.Path))
		}
	}
	if count := max(s.FilesWithErrors, len(unreadable)); count > 0 {
		// Each file's problem has its own line above; the summary names a
		// few of them only.
		fmt.Fprintf(&b, "; %s could not be read completely", plural(count, "file", "files"))
		if len(unreadable) > 0 {
			const shown = 3
			if len(unreadable) > shown {
				unreadable = append(unreadable[:shown], fmt.Sprintf("and %d more", len(unreadable)-shown))
			}
			fmt.Fprintf(&b, " (%s)", strings.Join(unreadable, ", "))
		}
	}
	return b.String()
}

// plural renders a count with the noun that agrees with it.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// oneLine writes the control characters of s as Go escapes (\n, \r, \x1b,
// \u2028; tab is kept) so that s cannot break a line-oriented output.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80 && isControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case isControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isControl reports the C0 control characters other than tab, DEL, the C1
// control characters and the Unicode line and paragraph separators.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || (r >= 0x7f && r <= 0x9f) || r == '\u2028' || r == '\u2029'
}
