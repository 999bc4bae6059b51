package lint

import (
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestTextFindingLine(t *testing.T) {
	base := validate.Finding{Code: validate.CodePattern, Severity: validate.Warning, Message: "bad"}
	tests := []struct {
		name      string
		operation string
		version   string
		want      string
	}{
		{"both", "DpsCertificate_CreateOrUpdate", "2022-12-12", "a.json:3:4: warning PATTERN bad (DpsCertificate_CreateOrUpdate 2022-12-12)"},
		{"operation only", "DpsCertificate_CreateOrUpdate", "", "a.json:3:4: warning PATTERN bad (DpsCertificate_CreateOrUpdate)"},
		{"api-version only", "", "2020-03-01", "a.json:3:4: warning PATTERN bad (2020-03-01)"},
		{"neither", "", "", "a.json:3:4: warning PATTERN bad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Findings: []FileFinding{{
				Finding: base, File: "a.json", Line: 3, Column: 4,
				OperationID: tt.operation, APIVersion: tt.version,
			}}}
			lines := strings.Split(string(render(t, Text, r)), "\n")
			if lines[0] != tt.want {
				t.Errorf("got  %q\nwant %q", lines[0], tt.want)
			}
		})
	}
}

func TestTextOneLinePerFinding(t *testing.T) {
	r := formatReport()
	out := string(render(t, Text, r))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if got, want := len(lines), len(r.Findings)+1; got != want {
		t.Fatalf("%d lines, want %d (one per finding and the summary):\n%s", got, want, out)
	}
	if !strings.Contains(out, `100% wrong, see: here\nand on a second line`) {
		t.Errorf("newline in message not escaped:\n%s", out)
	}
}

func TestSummaryLine(t *testing.T) {
	tests := []struct {
		name    string
		summary Summary
		want    string
	}{
		{
			name: "empty",
			want: "0 files, 0 exchanges: 0 matched, 0 skipped; 0 errors, 0 warnings, 0 info",
		},
		{
			name:    "singular",
			summary: Summary{Files: 1, Exchanges: 1, Matched: 1, Errors: 1, Warnings: 1, Infos: 1},
			want:    "1 file, 1 exchange: 1 matched, 0 skipped; 1 error, 1 warning, 1 info",
		},
		{
			name: "skip reasons by count",
			summary: Summary{
				Files: 3, Exchanges: 12, Matched: 9, Skipped: 3, Errors: 2, Warnings: 1,
				SkipReasons: []SkipReason{
					{Reason: "no contract for Microsoft.Storage/storageAccounts", Count: 1},
					{Reason: "no contract for Microsoft.Resources/resourceGroups", Count: 2},
				},
			},
			want: "3 files, 12 exchanges: 9 matched, 3 skipped (2 no contract for Microsoft.Resources/resourceGroups, 1 no contract for Microsoft.Storage/storageAccounts); 2 errors, 1 warning, 0 info",
		},
		{
			name:    "unmatched",
			summary: Summary{Files: 1, Exchanges: 5, Matched: 3, Skipped: 1, Errors: 1},
			want:    "1 file, 5 exchanges: 3 matched, 1 skipped, 1 unmatched; 1 error, 0 warnings, 0 info",
		},
		{
			name: "unreadable files",
			summary: Summary{
				Files: 3, Exchanges: 2, Matched: 2, Errors: 2, FilesWithErrors: 2,
				PerFile: []FileSummary{
					{Path: "b.har", Error: "entry 3:\nunexpected EOF"},
					{Path: "a.json", Exchanges: 2},
					{Path: "a.har", Error: "permission denied"},
				},
			},
			want: `3 files, 2 exchanges: 2 matched, 0 skipped; 2 errors, 0 warnings, 0 info; 2 files could not be read completely (a.har, b.har)`,
		},
		{
			name:    "unreadable count without details",
			summary: Summary{Files: 1, Errors: 1, FilesWithErrors: 1},
			want:    "1 file, 0 exchanges: 0 matched, 0 skipped; 1 error, 0 warnings, 0 info; 1 file could not be read completely",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := strings.TrimSuffix(string(render(t, Text, &Report{Summary: tt.summary})), "\n")
			if out != tt.want {
				t.Errorf("got  %q\nwant %q", out, tt.want)
			}
		})
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain, with: punctuation % and \"quotes\"", "plain, with: punctuation % and \"quotes\""},
		{"a\nb", `a\nb`},
		{"a\r\nb", `a\r\nb`},
		{"tab\tkept", "tab\tkept"},
		{"esc\x1b[31mred", `esc\x1b[31mred`},
		{"del\x7f", `del\x7f`},
		{"nel\u0085 ls\u2028", `nel\u0085 ls\u2028`},
		{"größe", "größe"},
	}
	for _, tt := range tests {
		if got := oneLine(tt.in); got != tt.want {
			t.Errorf("oneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
