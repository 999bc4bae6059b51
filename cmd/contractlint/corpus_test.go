package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusFinding is what the malformed-input corpus must produce for one file.
type corpusFinding struct {
	code         string
	line, column int // 0: any position (but always >= 1)
}

// TestMalformedCorpus runs the linter once over every malformed input and
// checks that nothing panics, that every file has its specific finding at its
// position, that every file is in the summary and that the exit code is 1.
func TestMalformedCorpus(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join("..", "..", "testdata", "malformed"), dir)

	// Generated inputs too large or too odd to commit.
	huge := `{"liveRequest":{"method":"PUT","url":"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Devices/provisioningServices/dps1/certificates/c1?api-version=2022-12-12","body":{"properties":{"certificate":"` +
		strings.Repeat("QUJD", 50<<20/4) + `"}}}}`
	write(t, filepath.Join(dir, "huge-string.json"), huge)
	unreadable := filepath.Join(dir, "unreadable.json")
	write(t, unreadable, `{"liveRequest":{"method":"GET","url":"/x"}}`)
	if err := os.Chmod(unreadable, 0); err != nil {
		t.Fatal(err)
	}
	rootCanRead := os.Geteuid() == 0

	want := map[string]corpusFinding{
		"bad-lines.ndjson":             {"INVALID_INPUT", 2, 1},
		"binary.json":                  {"INVALID_INPUT", 0, 0},
		"body-not-json.json":           {"INVALID_JSON", 8, 49},
		"dangling.json":                {"INPUT_ERROR", 1, 1},
		"deep-nesting.json":            {"INVALID_JSON", 11, 10010},
		"duplicate-keys.json":          {"DUPLICATE_KEY", 10, 32},
		"empty.json":                   {"INVALID_INPUT", 1, 1},
		"example-no-operation.json":    {"INVALID_RESPONSE_BODY", 0, 0},
		"example-unknown-version.json": {"UNRESOLVED_OPERATION", 0, 0},
		"har-bad-base64.har":           {"INVALID_INPUT", 9, 7},
		"har-no-log.har":               {"INVALID_INPUT", 1, 1},
		"har-wrong-types.har":          {"INVALID_INPUT", 44, 7},
		"invalid-utf8.json":            {"INVALID_INPUT", 1, 18},
		"loop-a.json":                  {"INPUT_ERROR", 1, 1},
		"loop-b.json":                  {"INPUT_ERROR", 1, 1},
		"no-api-version.json":          {"MISSING_API_VERSION", 4, 13},
		"no-request-line.http":         {"INVALID_INPUT", 2, 1},
		"not-json.json":                {"UNRESOLVED_OPERATION", 1, 1},
		"number-beyond-float64.json":   {"INVALID_FORMAT", 12, 21},
		"number-beyond-int64.json":     {"INVALID_FORMAT", 12, 21},
		"recording-bad-base64.json":    {"INVALID_CONTENT_TYPE", 0, 0},
		"recording-wrong-types.json":   {"INVALID_INPUT", 3, 5},
		"trailing-garbage.json":        {"INVALID_JSON", 23, 1},
		"truncated-traffic.json":       {"INVALID_INPUT", 5, 16},
		"truncated.har":                {"INVALID_INPUT", 82, 4},
		"unknown-api-version.json":     {"API_VERSION_NOT_SUPPORTED", 4, 13},
		"utf16.json":                   {"INVALID_INPUT", 1, 1},
		"whitespace-only.json":         {"INVALID_INPUT", 1, 1},
		"no-inputs":                    {"INPUT_ERROR", 1, 1},
		"huge-string.json":             {"BODY_TOO_LARGE", 0, 0},
	}
	if !rootCanRead {
		want["unreadable.json"] = corpusFinding{"INPUT_ERROR", 1, 1}
	}
	clean := map[string]bool{"bom.json": true, "har-no-entries.har": true}

	var stdout, stderr bytes.Buffer
	args := []string{"contractlint", "lint", "--no-config", "--format", "json", dir}
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	if code != exitFindings {
		t.Fatalf("exit code %d, want %d; stderr: %s", code, exitFindings, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr: %s", stderr.String())
	}
	var rep struct {
		Findings []struct {
			Code   string `json:"code"`
			File   string `json:"file"`
			Line   int    `json:"line"`
			Column int    `json:"column"`
		} `json:"findings"`
		Summary struct {
			Files   int `json:"files"`
			PerFile []struct {
				Path string `json:"path"`
			} `json:"perFile"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	rel := func(p string) string {
		p = filepath.ToSlash(p)
		if i := strings.LastIndex(p, "/"); i >= 0 {
			return p[i+1:]
		}
		return p
	}
	inSummary := map[string]bool{}
	for _, f := range rep.Summary.PerFile {
		inSummary[rel(f.Path)] = true
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !inSummary[e.Name()] {
			t.Errorf("%s is missing from the summary", e.Name())
		}
	}
	if rep.Summary.Files != len(rep.Summary.PerFile) {
		t.Errorf("summary files = %d, perFile has %d", rep.Summary.Files, len(rep.Summary.PerFile))
	}
	got := map[string][]corpusFinding{}
	for _, f := range rep.Findings {
		if f.Line < 1 || f.Column < 1 {
			t.Errorf("%s: %s at %d:%d, want a 1-based position", f.File, f.Code, f.Line, f.Column)
		}
		got[rel(f.File)] = append(got[rel(f.File)], corpusFinding{f.Code, f.Line, f.Column})
	}
	for file, w := range want {
		found := false
		for _, g := range got[file] {
			if g.code == w.code && (w.line == 0 || g.line == w.line && g.column == w.column) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %s at %d:%d, got %v", file, w.code, w.line, w.column, got[file])
		}
	}
	for file := range clean {
		if len(got[file]) != 0 {
			t.Errorf("%s should be clean, got %v", file, got[file])
		}
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies a directory, recreating symbolic links as links.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		r, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, r)
		switch {
		case d.Type()&os.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case d.IsDir():
			return os.MkdirAll(dst, 0o755)
		default:
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
